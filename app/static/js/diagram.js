// Draws each chapter's diagram on the case page with the bpmn-js viewer and highlights the
// steps waiting now. The XML comes from the server (same origin, same authorization).
(function () {
  'use strict';
  function show(el) {
    var Viewer = window.BpmnJS;
    if (!Viewer) { el.textContent = el.getAttribute('data-missing') || 'bpmn-js is not available'; return; }
    var viewer = new Viewer({ container: el });
    fetch(el.getAttribute('data-src'), { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get('canvas');
        canvas.zoom('fit-viewport');
        (el.getAttribute('data-current') || '').split(' ').filter(Boolean).forEach(function (id) {
          try { canvas.addMarker(id, 'is-current'); } catch (e) { /* element not drawn */ }
        });
        el.setAttribute('data-ready', 'true');
      })
      .catch(function (err) { el.textContent = String(err); el.setAttribute('data-ready', 'error'); });
  }
  document.querySelectorAll('.diagram[data-src]').forEach(show);
})();
