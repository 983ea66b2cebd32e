// The replay slider: each position asks the API for the instance after that event and redraws
// the event, the data, the change, and the path and tokens on the version's diagram.
(function () {
  'use strict';
  var form = document.getElementById('replay');
  var slider = document.getElementById('step');
  var el = document.getElementById('diagram');
  if (!form || !slider || !el) { return; }
  var viewer = window.BpmnJS ? new window.BpmnJS({ container: el }) : null;
  var loadedSrc = null, marked = [];
  var labels = JSON.parse(form.getAttribute('data-labels') || '{}');   // words come translated from the page
  var lang = document.documentElement.lang === 'en' ? 'en-GB' : 'ru-RU';

  function text(id, value) { var n = document.getElementById(id); if (n) { n.textContent = value; } }
  function json(id, value) { text(id, JSON.stringify(value, null, 2)); }

  function mark(state) {
    if (!viewer) { return; }
    var canvas = viewer.get('canvas');
    marked.forEach(function (m) { try { canvas.removeMarker(m[0], m[1]); } catch (e) { /* gone */ } });
    marked = [];
    function add(ids, cls) {
      ids.forEach(function (id) { try { canvas.addMarker(id, cls); marked.push([id, cls]); } catch (e) { /* not drawn */ } });
    }
    add(state.completed, 'is-done'); add(state.flows, 'is-taken'); add(state.active, 'is-token');
    el.setAttribute('data-active', state.active.join(' '));
    el.setAttribute('data-completed', state.completed.join(' '));
    el.setAttribute('data-flows', state.flows.join(' '));
    el.setAttribute('data-ready', 'true');
  }

  function draw(state) {
    if (!viewer) { el.textContent = form.getAttribute('data-no-viewer'); return Promise.resolve(); }
    if (loadedSrc === state.diagram_url) { mark(state); return Promise.resolve(); }
    el.setAttribute('data-ready', 'loading');
    return fetch(state.diagram_url, { credentials: 'same-origin' })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.text(); })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () { loadedSrc = state.diagram_url; marked = []; viewer.get('canvas').zoom('fit-viewport'); mark(state); })
      .catch(function (err) { el.textContent = String(err); el.setAttribute('data-ready', 'error'); });
  }

  function show(state) {
    text('step-label', state.step);
    text('event-seq', state.event.seq);
    text('event-type', labels[state.event.type] || state.event.type);
    text('event-at', new Date(state.event.at).toLocaleString(lang, { timeZone: 'Asia/Almaty' }));
    text('event-actor', state.event.actor);
    text('event-element', state.event.bpmn_id || '—');
    text('event-lane', state.event.lane || '—');
    text('tokens', state.active.join(', ') || '—');
    text('version', state.version.version);
    text('version-sha', state.version.sha256.slice(0, 12));
    json('event-data', state.event.data);
    json('changes', state.changes);
    json('data', state.data);
    text('verified', state.verified_to_here ? '' : form.getAttribute('data-diverges'));
    return draw(state);
  }

  var pending = 0;
  function go(step) {
    var ticket = ++pending;
    el.setAttribute('data-ready', 'loading');
    fetch(form.getAttribute('data-api') + '?step=' + step, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); })
      .then(function (state) {
        if (ticket !== pending) { return; }
        history.replaceState(null, '', '?step=' + state.step);
        show(state);
      })
      .catch(function (err) { text('verified', form.getAttribute('data-error') + ' ' + err); });
  }

  slider.addEventListener('input', function () { text('step-label', slider.value); });
  slider.addEventListener('change', function () { go(slider.value); });
  ['prev', 'next'].forEach(function (id) {
    var link = document.getElementById(id);
    if (link) { link.addEventListener('click', function (ev) {
      ev.preventDefault();
      var next = Number(slider.value) + (id === 'prev' ? -1 : 1);
      if (next >= 1 && next <= Number(slider.max)) { slider.value = next; go(next); }
    }); }
  });
  go(slider.value);
})();
