// Draws each chapter's diagram on the case page with the bpmn-js NavigatedViewer (drag to pan, wheel to zoom),
// sized to the diagram's own proportions and fitted to its content, so no chapter is a thumbnail in a blank
// box; the steps waiting now are highlighted, and «Current step» brings the first of them to the centre at a
// readable scale. The XML comes from the server (same origin, same authorization).
(function () {
  'use strict';
  var MIN_HEIGHT = 220, MAX_HEIGHT = 640, READABLE = 1;

  function fitHeight(el, canvas) {
    // the container as tall as the content's proportions ask at this width (within bounds), then fit
    var inner = canvas.viewbox().inner;
    if (inner.width > 0 && inner.height > 0) {
      var wanted = el.clientWidth * inner.height / inner.width + 24;
      var ceiling = Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, window.innerHeight * 0.8));
      el.style.height = Math.round(Math.max(MIN_HEIGHT, Math.min(ceiling, wanted))) + 'px';
      canvas.resized();
    }
    canvas.zoom('fit-viewport', 'auto');
  }

  function centreOn(canvas, element) {
    var box = canvas.viewbox(), scale = Math.max(box.scale, READABLE);
    var width = box.outer.width / scale, height = box.outer.height / scale;
    canvas.viewbox({ x: element.x + element.width / 2 - width / 2, y: element.y + element.height / 2 - height / 2,
                     width: width, height: height });
  }

  function show(el) {
    var Viewer = window.BpmnJS;
    if (!Viewer) { el.textContent = el.getAttribute('data-missing') || 'bpmn-js is not available'; return; }
    var viewer = new Viewer({ container: el });
    var current = (el.getAttribute('data-current') || '').split(' ').filter(Boolean);
    fetch(el.getAttribute('data-src'), { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        var canvas = viewer.get('canvas'), registry = viewer.get('elementRegistry');
        var marked = current.map(function (id) { return registry.get(id); }).filter(Boolean);
        var overlays = viewer.get('overlays'), label = el.getAttribute('data-now-label');
        marked.forEach(function (element) {
          canvas.addMarker(element.id, 'is-current');
          if (label) {       // a badge at its own size: the step stays findable when the whole chapter is small
            var badge = document.createElement('span');
            badge.className = 'diagram-now';
            badge.textContent = label;
            overlays.add(element.id, 'current-step', { position: { top: 0, left: 0 }, scale: false, html: badge });
          }
        });
        fitHeight(el, canvas);
        var tools = el.parentNode.querySelector('.diagram-tools');
        if (tools) {
          tools.hidden = false;
          tools.addEventListener('click', function (event) {
            var button = event.target.closest('button[data-zoom]');
            if (!button) { return; }
            var action = button.getAttribute('data-zoom');
            if (action === 'fit') { canvas.zoom('fit-viewport', 'auto'); }
            else if (action === 'current' && marked.length) { centreOn(canvas, marked[0]); }
            else { canvas.zoom(canvas.zoom() * (action === 'in' ? 1.25 : 0.8), 'auto'); }
          });
        }
        el.setAttribute('data-ready', 'true');
      })
      .catch(function (err) { el.textContent = String(err); el.setAttribute('data-ready', 'error'); });
  }
  document.querySelectorAll('.diagram[data-src]').forEach(show);
})();
