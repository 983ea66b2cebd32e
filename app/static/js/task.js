// After a refused submission, move focus to the list of errors so keyboard and screen reader
// users hear what to fix; each entry links to its field.
(function () {
  'use strict';
  var summary = document.getElementById('error-summary');
  if (summary) { summary.focus(); }
})();
