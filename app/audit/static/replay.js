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
  var lang = { en: 'en-GB', kk: 'kk-KZ' }[document.documentElement.lang] || 'ru-RU';

  var agencies = JSON.parse(form.getAttribute('data-agencies') || '{}');
  var jump = document.getElementById('jump');

  function text(id, value) { var n = document.getElementById(id); if (n) { n.textContent = value; } }
  function shown(value) {
    if (value === true) { return form.getAttribute('data-yes'); }
    if (value === false) { return form.getAttribute('data-no'); }
    return value === null || value === undefined ? '—' : String(value);
  }
  // Labelled fields (the forms' titles), each changed or new one highlighted with a word, not only a colour.
  function fields(id, rows, empty) {
    var dl = document.getElementById(id);
    if (!dl) { return; }
    dl.textContent = '';
    (rows.length ? rows : [null]).forEach(function (row) {
      var div = document.createElement('div'), dt = document.createElement('dt'), dd = document.createElement('dd');
      if (row === null) { dd.textContent = empty; div.appendChild(dd); dl.appendChild(div); return; }
      dt.textContent = row.label; dd.textContent = shown(row.value);
      div.setAttribute('data-change', row.change || '');
      if (row.change) {
        div.className = 'is-' + row.change;
        var mark = document.createElement('mark');
        mark.className = 'change';
        mark.textContent = row.change === 'added' ? form.getAttribute('data-added')
          : form.getAttribute('data-changed') + ' ' + shown(row.before);
        dd.appendChild(document.createTextNode(' ')); dd.appendChild(mark);
      }
      div.appendChild(dt); div.appendChild(dd); dl.appendChild(div);
    });
  }

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
      .then(function () {
        if (window.QamqorLabels) { window.QamqorLabels.fit(viewer); }      // labels in the page's language (labels.js)
        loadedSrc = state.diagram_url; marked = []; viewer.get('canvas').zoom('fit-viewport'); mark(state);
      })
      .catch(function (err) { el.textContent = String(err); el.setAttribute('data-ready', 'error'); });
  }

  function show(state) {
    text('step-label', state.step);
    text('event-seq', state.event.seq);
    text('event-type', labels[state.event.type] || state.event.type);
    text('event-at', new Date(state.event.at).toLocaleString(lang, { timeZone: 'Asia/Almaty' }));
    text('event-actor', state.event.actor);
    var r = state.readable;
    text('event-element', r.element_name || '—');
    text('event-lane', state.event.lane ? (agencies[state.event.lane] || state.event.lane) : '—');
    text('tokens', r.active_names.join(', ') || '—');
    text('version', state.version.version);
    text('version-sha', state.version.sha256.slice(0, 12));
    fields('event-data', r.event_fields, '—');
    fields('data', r.fields ? r.fields.rows : [], form.getAttribute('data-none'));
    text('removed', r.fields && r.fields.removed.length ? form.getAttribute('data-removed') + ' ' + r.fields.removed.join(', ') : '');
    if (jump) { jump.value = String(state.step); }
    slider.value = state.step;
    var prev = document.getElementById('prev'), next = document.getElementById('next');
    if (prev) { prev.hidden = state.step <= 1; prev.href = '?step=' + (state.step - 1); }
    if (next) { next.hidden = state.step >= state.steps; next.href = '?step=' + (state.step + 1); }
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
  var jumpForm = document.getElementById('jump-form');
  if (jump && jumpForm) {
    jumpForm.addEventListener('submit', function (ev) { ev.preventDefault(); go(jump.value); });
    jump.addEventListener('change', function () { go(jump.value); });
  }
  go(slider.value);
})();
