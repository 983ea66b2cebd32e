// Draws each chapter's diagram on the case page with the bpmn-js NavigatedViewer (drag to pan, wheel to zoom),
// sized to the diagram's own proportions. A chapter with steps waiting now opens on them, centred at a readable
// scale (a whole chapter fitted into the page is drawn at about a third of its size, its words unreadable until
// zoomed); one without opens fitted to its content. «Whole diagram» fits, «Current step» centres again. The
// steps are found by their ids wherever they are drawn, so a diagram whose chapter is one pool of a
// collaboration (partner agencies' pools beside it) centres on the step inside the chapter's own pool.
// The XML comes from the server (same origin, same authorization). The viewer is kept on its element
// (``el.bpmnViewer``) so browser tests can read the canvas's viewbox.
(function () {
  'use strict';
  var MIN_HEIGHT = 220, MAX_HEIGHT = 640, FOCUS_HEIGHT = 380;
  var READABLE = 0.9, LEAST = 0.6, PAD = 30;    // scale of a centred step; smallest that still keeps text legible

  function sizeBox(el, canvas, focused) {
    // the container as tall as the content's proportions ask at this width (within bounds); a view centred on
    // a step gets room for the step and its neighbours even when the whole chapter is a long, low strip
    var inner = canvas.viewbox().inner;
    if (inner.width > 0 && inner.height > 0) {
      var wanted = el.clientWidth * inner.height / inner.width + 24;
      var ceiling = Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, window.innerHeight * 0.8));
      var floor = focused ? Math.min(ceiling, FOCUS_HEIGHT) : MIN_HEIGHT;
      el.style.height = Math.round(Math.max(floor, Math.min(ceiling, wanted))) + 'px';
      canvas.resized();
    }
  }

  function bounds(elements) {
    var x1 = Infinity, y1 = Infinity, x2 = -Infinity, y2 = -Infinity;
    elements.forEach(function (e) {
      x1 = Math.min(x1, e.x); y1 = Math.min(y1, e.y);
      x2 = Math.max(x2, e.x + e.width); y2 = Math.max(y2, e.y + e.height);
    });
    return { x: x1, y: y1, width: x2 - x1, height: y2 - y1 };
  }

  function centreOn(canvas, elements) {
    // every current step in view at a readable scale (smaller, down to LEAST, only as far as they need);
    // steps too far apart for that: the first one
    var outer = canvas.viewbox().outer, box = bounds(elements);
    var room = Math.min((outer.width - 2 * PAD) / Math.max(box.width, 1), (outer.height - 2 * PAD) / Math.max(box.height, 1));
    if (room < LEAST && elements.length > 1) { box = bounds(elements.slice(0, 1)); room = READABLE; }
    var scale = Math.max(LEAST, Math.min(READABLE, room));
    var width = outer.width / scale, height = outer.height / scale;
    canvas.viewbox({ x: box.x + box.width / 2 - width / 2, y: box.y + box.height / 2 - height / 2,
                     width: width, height: height });
  }

  function show(el) {
    var Viewer = window.BpmnJS;
    if (!Viewer) { el.textContent = el.getAttribute('data-missing') || 'bpmn-js is not available'; return; }
    var viewer = new Viewer({ container: el });
    el.bpmnViewer = viewer;
    var current = (el.getAttribute('data-current') || '').split(' ').filter(Boolean);
    fetch(el.getAttribute('data-src'), { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        if (window.QamqorLabels) { window.QamqorLabels.fit(viewer); }      // labels in the page's language (labels.js)
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
        sizeBox(el, canvas, marked.length > 0);
        if (marked.length) { centreOn(canvas, marked); } else { canvas.zoom('fit-viewport', 'auto'); }
        var tools = el.parentNode.querySelector('.diagram-tools');
        if (tools) {
          tools.hidden = false;
          tools.addEventListener('click', function (event) {
            var button = event.target.closest('button[data-zoom]');
            if (!button) { return; }
            var action = button.getAttribute('data-zoom');
            if (action === 'fit') { canvas.zoom('fit-viewport', 'auto'); }
            else if (action === 'current' && marked.length) { centreOn(canvas, marked); }
            else { canvas.zoom(canvas.zoom() * (action === 'in' ? 1.25 : 0.8), 'auto'); }
          });
        }
        el.setAttribute('data-ready', 'true');
      })
      .catch(function (err) { el.textContent = String(err); el.setAttribute('data-ready', 'error'); });
  }
  document.querySelectorAll('.diagram[data-src]').forEach(show);
})();
