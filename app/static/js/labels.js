// Labels outside shapes (events', gateways', flows' names) in the reader's language. The diagrams' label boxes
// (BPMN DI) are sized for the Russian names; bpmn-js wraps a name to its box's width and cuts a word that is wider
// than the box mid-word ("Қорға / ншылы / қ", "Polic / e"), as happens to Kazakh and English names in boxes made
// for a shorter Russian word. Before the diagram is shown, each such label's box is widened about its centre
// until its longest word fits, and the label is drawn again; names that already fit are left as drawn (tasks'
// names are wrapped inside their 140x84 box and fit in every language: measured in all three). Used by the case
// page (diagram.js) and replay (replay.js), after importXML.
(function () {
  'use strict';
  var ruler;

  function width(text, style) {
    ruler = ruler || document.createElement('canvas').getContext('2d');
    ruler.font = (style.fontWeight || 'normal') + ' ' + style.fontSize + 'px ' + style.fontFamily;
    return ruler.measureText(text).width;
  }

  function fit(viewer) {
    var registry = viewer.get('elementRegistry'), graphics = viewer.get('graphicsFactory');
    var style = viewer.get('textRenderer').getExternalStyle();
    var widened = 0;
    registry.filter(function (e) { return e.type === 'label' && e.businessObject && e.businessObject.name; })
      .forEach(function (label) {
        var longest = 0;
        label.businessObject.name.split(/\s+/).forEach(function (word) { longest = Math.max(longest, width(word, style)); });
        var wanted = Math.ceil(longest) + 6;
        if (wanted <= label.width) { return; }
        label.x -= (wanted - label.width) / 2;
        label.width = wanted;
        graphics.update('shape', label, registry.getGraphics(label));
        widened += 1;
      });
    return widened;
  }

  window.QamqorLabels = { fit: fit };
})();
