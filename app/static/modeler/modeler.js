/* The process owners' modeler: bpmn-js with its properties panel, our own panel for the
   spiffworkflow extensions the engine reads (forms, UI schema, role, instructions, scripts,
   message payload/variable) and the lane's agency, a JSON Schema editor with a preview, and
   "check" / "deploy" calling the same API as every other client. The server is the judge:
   nothing is deployed that its validation refuses. */
(function () {
  'use strict';
  var root = document.getElementById('modeler');
  if (!root) { return; }
  var readonly = root.dataset.readonly === 'true';
  var csrf = root.dataset.csrf;
  var statusEl = document.getElementById('status');
  var problemsEl = document.getElementById('problems');
  var changesEl = document.getElementById('changes');
  var deployBtn = document.getElementById('deploy');
  var warningsEl = document.getElementById('warnings');
  var P = window.BpmnJSPropertiesPanel;

  // The page's own words, in the UI language, from the server's Flask-Babel catalogs (editor.html).
  var lang = document.documentElement.lang || 'ru';
  var words = JSON.parse(document.getElementById('modeler-words').textContent);
  function t(key, vars) {
    return words[key].replace(/\{(\w+)\}/g, function (m, name) { return String((vars || {})[name]); });
  }
  var SPIFF = 'spiffworkflow:';

  var options = { container: '#canvas', moddleExtensions: { spiffworkflow: window.QamqorSpiffModdle } };
  if (!readonly) {
    options.propertiesPanel = { parent: '#properties' };
    options.additionalModules = [P.BpmnPropertiesPanelModule, P.BpmnPropertiesProviderModule];
  }
  // bpmn-js and its panel in the UI language: Russian from the community bpmn-js-i18n catalog, with ours
  // (static/modeler/words/) for what it lacks; Kazakh from ours alone; English is bpmn-js's own.
  var bpmnWords = window.qamqorBpmnWords || {};
  var catalog = Object.assign({}, bpmnWords[lang] || {}, lang === 'ru' ? bpmnWords.vendorRu || {} : {});
  if (Object.keys(catalog).length) {
    options.additionalModules = (options.additionalModules || []).concat([{
      translate: ['value', function (template, replacements) {
        return (catalog[template] || template).replace(/\{([^}]+)\}/g, function (m, key) {
          return replacements && key in replacements ? replacements[key] : m;
        });
      }]
    }]);
  }
  var modeler = new window.BpmnJS(options);
  var forms = {};          // name -> text of the JSON Schema, as edited here
  var marked = [];
  window.qamqor = { modeler: modeler, imported: null };

  function say(text, kind) {
    statusEl.textContent = text;
    statusEl.className = 'modeler-status' + (kind ? ' modeler-status--' + kind : '');
  }

  function api(url, init) {
    init = init || {};
    init.credentials = 'same-origin';
    // problems and changes come back worded in the page's language, whatever the browser's own setting
    init.headers = Object.assign({ 'X-CSRFToken': csrf, 'Accept': 'application/json', 'Accept-Language': lang },
                                 init.headers || {});
    return fetch(url, init).then(function (r) {
      return r.text().then(function (text) {
        var body = null;
        try { body = text ? JSON.parse(text) : null; } catch (e) { body = { detail: text }; }
        return { status: r.status, body: body, text: text };
      });
    });
  }

  // -- loading ------------------------------------------------------------------------------------
  // The whole diagram in view, but right of the editor's palette: the palette floats over the
  // canvas's left edge, where lane titles and start events are (chapter 1 has five lanes of them).
  function fitBesidePalette() {
    var canvas = modeler.get('canvas');
    canvas.zoom('fit-viewport');
    var palette = root.querySelector('.djs-palette');
    if (!palette) { return; }
    var box = canvas.viewbox();
    var inner = box.inner;
    var left = palette.offsetLeft + palette.offsetWidth + 10;
    var scale = Math.min((box.outer.width - left - 10) / inner.width, (box.outer.height - 20) / inner.height, 1);
    if (!(scale > 0)) { return; }
    canvas.viewbox({ x: inner.x - left / scale, y: inner.y - 10 / scale,
                     width: box.outer.width / scale, height: box.outer.height / scale });
  }

  function load() {
    return fetch(root.dataset.xmlUrl, { credentials: 'same-origin' }).then(function (r) { return r.text(); })
      .then(function (xml) { return modeler.importXML(xml); })
      .then(function (result) {
        var warnings = (result.warnings || []).map(function (w) { return w.message; });
        window.qamqor.imported = { warnings: warnings, error: null };
        fitBesidePalette();
        if (warnings.length) { say(t('importWarnings', { n: warnings.length, list: warnings.join('; ') }), 'bad'); }
        root.dataset.imported = 'true';
      })
      .catch(function (err) {
        window.qamqor.imported = { warnings: [], error: String(err && err.message || err) };
        say(t('cannotOpen', { error: window.qamqor.imported.error }), 'bad');
        root.dataset.imported = 'error';
      });
  }

  // -- forms ------------------------------------------------------------------------------------------
  var pick = document.getElementById('form-pick');
  var text = document.getElementById('form-text');

  function addFormOption(name) {
    if (!name || pick.querySelector('option[value="' + CSS.escape(name) + '"]')) { return; }
    var o = document.createElement('option');
    o.value = name; o.textContent = name;
    pick.appendChild(o);
    ['qp-form', 'qp-ui'].forEach(function (id) {
      var sel = document.getElementById(id);
      if (!sel) { return; }
      var wantUi = id === 'qp-ui';
      if (wantUi !== /\.uischema\.json$/.test(name)) { return; }
      var c = document.createElement('option');
      c.value = name; c.textContent = name;
      sel.appendChild(c);
    });
  }

  function showForm(name) {
    if (!name) { text.value = ''; return Promise.resolve(); }
    if (forms[name] !== undefined) { text.value = forms[name]; return Promise.resolve(); }
    return api('/api/v1/forms/' + encodeURIComponent(name)).then(function (r) {
      if (r.status === 200) { forms[name] = JSON.stringify(r.body, null, 2); }
      text.value = forms[name] || '';
    });
  }

  function loadForms() {
    var own = fetch(root.dataset.formsUrl, { credentials: 'same-origin' }).then(function (r) { return r.json(); })
      .then(function (body) {
        Object.keys(body.items || {}).sort().forEach(function (name) {
          forms[name] = JSON.stringify(body.items[name], null, 2);
          addFormOption(name);
        });
      });
    var catalogue = readonly ? Promise.resolve() : api('/api/v1/forms').then(function (r) {
      ((r.body && r.body.items) || []).forEach(function (f) { addFormOption(f.name); });
    });
    return Promise.all([own, catalogue]).then(function () { return showForm(pick.value); })
      .then(function () { root.dataset.formsLoaded = 'true'; });       // tests (and scripts) wait for this
  }

  pick.addEventListener('change', function () { showForm(pick.value); });
  text.addEventListener('input', function () {
    if (pick.value) { forms[pick.value] = text.value; }
    invalidate();
  });

  document.getElementById('form-preview').addEventListener('click', function (ev) {
    var body = new URLSearchParams();
    body.set('schema', text.value);
    body.set('csrf_token', csrf);
    fetch(ev.target.dataset.url, { method: 'POST', credentials: 'same-origin', body: body,
                                   headers: { 'X-CSRFToken': csrf } })
      .then(function (r) { return r.text(); })
      .then(function (html) { document.getElementById('preview').innerHTML = html; });
  });

  // -- reading and writing the spiffworkflow extensions ---------------------------------------------------
  function bo(el) { return el.businessObject; }
  function extValues(obj) { return (obj.extensionElements && obj.extensionElements.values) || []; }
  function ext(obj, type) {
    return extValues(obj).filter(function (v) { return v.$instanceOf(SPIFF + type); })[0];
  }
  function bodyOf(obj, type) { var e = ext(obj, type); return e ? (e.value || '') : ''; }
  function propertyOf(obj, name) {
    var props = ext(obj, 'Properties');
    var p = props && (props.properties || []).filter(function (x) { return x.name === name; })[0];
    return p ? (p.value || '') : '';
  }

  function withExtensions(element, target, replace) {
    var moddle = modeler.get('moddle');
    var values = replace(extValues(target).slice());
    var fresh = moddle.create('bpmn:ExtensionElements', { values: values });
    values.forEach(function (v) { v.$parent = fresh; });
    fresh.$parent = target;
    modeler.get('modeling').updateModdleProperties(element, target, { extensionElements: values.length ? fresh : undefined });
  }

  function setBody(element, target, type, value) {
    withExtensions(element, target, function (values) {
      values = values.filter(function (v) { return !v.$instanceOf(SPIFF + type); });
      if (value) { values.push(modeler.get('moddle').create(SPIFF + type, { value: value })); }
      return values;
    });
  }

  function setProperty(element, name, value, target) {
    var moddle = modeler.get('moddle');
    withExtensions(element, target || bo(element), function (values) {
      var old = values.filter(function (v) { return v.$instanceOf(SPIFF + 'Properties'); })[0];
      var list = ((old && old.properties) || []).filter(function (p) { return p.name !== name; })
        .map(function (p) { return moddle.create(SPIFF + 'Property', { name: p.name, value: p.value }); });
      if (value) { list.push(moddle.create(SPIFF + 'Property', { name: name, value: value })); }
      var props = moddle.create(SPIFF + 'Properties', { properties: list });
      list.forEach(function (p) { p.$parent = props; });
      values = values.filter(function (v) { return v !== old; });
      if (list.length) { values.unshift(props); }
      return values;
    });
  }

  function timerDefinition(obj) {
    return (obj.eventDefinitions || []).filter(function (d) { return d.$type === 'bpmn:TimerEventDefinition'; })[0];
  }

  function timerExpression(def) {
    return def && (def.timeDate || def.timeDuration || def.timeCycle);
  }

  function setTimer(element, value) {
    var def = timerDefinition(bo(element));
    var expr = timerExpression(def);
    if (expr) {
      modeler.get('modeling').updateModdleProperties(element, expr, { body: value });
    } else if (def) {
      var fresh = modeler.get('moddle').create('bpmn:FormalExpression', { body: value });
      fresh.$parent = def;
      modeler.get('modeling').updateModdleProperties(element, def, { timeDate: fresh });
    }
  }

  function messageDefinition(obj) {
    return (obj.eventDefinitions || []).filter(function (d) { return d.$type === 'bpmn:MessageEventDefinition'; })[0];
  }

  // -- our panel -------------------------------------------------------------------------------------
  var selected = null;
  var fields = document.getElementById('qp-fields');

  function show(cls, on) {
    document.querySelectorAll('#qamqor-props .' + cls).forEach(function (n) { n.hidden = !on; });
  }

  function refreshPanel() {
    if (!fields) { return; }
    var el = selected;
    document.getElementById('qp-none').hidden = !!el;
    fields.hidden = !el;
    if (!el) { return; }
    var b = bo(el);
    var type = b.$type;
    document.getElementById('qp-element').textContent = type.replace('bpmn:', '') + ' ' + b.id + (b.name ? ' — ' + b.name : '');
    var isUser = type === 'bpmn:UserTask' || type === 'bpmn:ManualTask';
    var isActivity = /Task$/.test(type) || type === 'bpmn:SubProcess' || type === 'bpmn:CallActivity';
    var msg = messageDefinition(b);
    var isThrow = (msg && (type === 'bpmn:IntermediateThrowEvent' || type === 'bpmn:EndEvent')) || type === 'bpmn:SendTask';
    var isCatch = (msg && !isThrow) || type === 'bpmn:ReceiveTask';
    show('qp-lane', type === 'bpmn:Lane');
    show('qp-task', isUser);
    show('qp-activity', isActivity);
    show('qp-throw', !!isThrow);
    show('qp-catch', !!isCatch);
    var timer = timerDefinition(b);
    show('qp-timer', !!timer);
    if (timer) { document.getElementById('qp-timer-value').value = (timerExpression(timer) || {}).body || ''; }
    var holder = msg || b;
    if (type === 'bpmn:Lane') {
      var agency = document.getElementById('qp-agency');
      agency.value = Array.prototype.some.call(agency.options, function (o) { return o.value === b.name; }) ? b.name : '';
    }
    if (isUser) {
      ['formJsonSchemaFilename', 'formUiSchemaFilename'].forEach(function (n) { addFormOption(propertyOf(b, n)); });
      document.getElementById('qp-form').value = propertyOf(b, 'formJsonSchemaFilename');
      document.getElementById('qp-ui').value = propertyOf(b, 'formUiSchemaFilename');
      document.getElementById('qp-role').value = propertyOf(b, 'requiredRole');
      document.getElementById('qp-instructions').value = bodyOf(b, 'InstructionsForEndUser');
    }
    document.getElementById('qp-pre').value = bodyOf(b, 'PreScript');
    document.getElementById('qp-post').value = bodyOf(b, 'PostScript');
    document.getElementById('qp-payload').value = bodyOf(holder, 'MessagePayload');
    document.getElementById('qp-variable').value = bodyOf(holder, 'MessageVariable');
    var words = wordsHolder(el);
    TRANSLATIONS.forEach(function (w) {
      document.getElementById(w.input).value = words ? propertyOf(words, w.property) : '';
    });
  }

  // Translations travel inside the diagram as spiffworkflow properties "name:kk", "name:en",
  // "instructions:kk", "instructions:en" of the element they translate (app/engine/words.py);
  // a pool's words are its process's (the chapter's title).
  var TRANSLATIONS = [
    { input: 'qp-name-kk', property: 'name:kk' }, { input: 'qp-name-en', property: 'name:en' },
    { input: 'qp-instructions-kk', property: 'instructions:kk' },
    { input: 'qp-instructions-en', property: 'instructions:en' }
  ];
  function wordsHolder(el) {
    var b = bo(el);
    return b.$type === 'bpmn:Participant' ? b.processRef : b;
  }

  function bindPanel() {
    if (!fields) { return; }
    function on(id, fn) {
      document.getElementById(id).addEventListener('change', function (ev) { if (selected) { fn(selected, ev.target.value); } });
    }
    on('qp-agency', function (el, v) { modeler.get('modeling').updateProperties(el, { name: v }); });
    on('qp-form', function (el, v) { setProperty(el, 'formJsonSchemaFilename', v); if (v) { pick.value = v; showForm(v); } });
    on('qp-ui', function (el, v) { setProperty(el, 'formUiSchemaFilename', v); });
    on('qp-timer-value', setTimer);
    on('qp-role', function (el, v) { setProperty(el, 'requiredRole', v); });
    on('qp-instructions', function (el, v) { setBody(el, bo(el), 'InstructionsForEndUser', v); });
    on('qp-pre', function (el, v) { setBody(el, bo(el), 'PreScript', v); });
    on('qp-post', function (el, v) { setBody(el, bo(el), 'PostScript', v); });
    on('qp-payload', function (el, v) { setBody(el, messageDefinition(bo(el)) || bo(el), 'MessagePayload', v); });
    on('qp-variable', function (el, v) { setBody(el, messageDefinition(bo(el)) || bo(el), 'MessageVariable', v); });
    TRANSLATIONS.forEach(function (w) {
      on(w.input, function (el, v) { setProperty(el, w.property, v.trim(), wordsHolder(el)); });
    });
    var bus = modeler.get('eventBus');
    bus.on('selection.changed', function (e) {
      selected = e.newSelection.length === 1 && e.newSelection[0].type !== 'label' ? e.newSelection[0] : null;
      refreshPanel();
    });
    bus.on('elements.changed', function () { if (selected) { refreshPanel(); } });
  }

  // -- check and deploy -------------------------------------------------------------------------------------
  function invalidate() {
    if (deployBtn) { deployBtn.disabled = true; }
  }

  function referencedForms() {
    var names = {};
    modeler.get('elementRegistry').forEach(function (el) {
      var b = el.businessObject;
      if (!b || !b.extensionElements) { return; }
      ['formJsonSchemaFilename', 'formUiSchemaFilename'].forEach(function (n) {
        var v = propertyOf(b, n);
        if (v) { names[v] = true; }
      });
    });
    return Object.keys(names);
  }

  function payload() {
    var wanted = referencedForms();
    return Promise.all(wanted.map(function (name) {
      return forms[name] !== undefined ? null : showForm.call(null, name).then(function () { showForm(pick.value); });
    })).then(function () {
      return modeler.saveXML({ format: true });
    }).then(function (result) {
      var data = new FormData();
      data.append('file', new Blob([result.xml], { type: 'application/xml' }), 'diagram.bpmn');
      wanted.forEach(function (name) {
        if (forms[name] !== undefined) { data.append('forms', new Blob([forms[name]], { type: 'application/json' }), name); }
      });
      return data;
    });
  }

  function clearMarks() {
    var canvas = modeler.get('canvas');
    marked.forEach(function (id) { canvas.removeMarker(id, 'qamqor-invalid'); });
    marked = [];
    problemsEl.innerHTML = '';
    if (warningsEl) { warningsEl.innerHTML = ''; }
  }

  // Deploy's warnings (a missing translation): listed, never blocking.
  function showWarnings(warnings) {
    if (!warningsEl) { return; }
    (warnings || []).forEach(function (w) {
      var li = document.createElement('li');
      li.textContent = (w.element_id ? w.element_id + ': ' : '') + w.message;
      li.dataset.element = w.element_id || '';
      li.dataset.code = w.code || '';
      warningsEl.appendChild(li);
    });
  }

  function showProblems(errors) {
    var canvas = modeler.get('canvas');
    var registry = modeler.get('elementRegistry');
    errors.forEach(function (e) {
      var li = document.createElement('li');
      var id = e.element_id || e.field;
      if (id && registry.get(id)) {
        canvas.addMarker(id, 'qamqor-invalid');
        marked.push(id);
        var a = document.createElement('button');
        a.type = 'button'; a.className = 'btn--link'; a.textContent = id;
        a.addEventListener('click', function () {
          modeler.get('selection').select(registry.get(id));
          canvas.scrollToElement(registry.get(id));
        });
        li.appendChild(a);
        li.appendChild(document.createTextNode(': '));
      } else if (id) {
        li.appendChild(document.createTextNode(id + ': '));
      }
      li.appendChild(document.createTextNode(e.message));
      li.dataset.element = id || '';
      problemsEl.appendChild(li);
    });
  }

  function showChanges(changes, latest) {
    changesEl.innerHTML = '';
    changesEl.hidden = !changes;
    if (!changes) { return; }
    var h = document.createElement('p');
    h.textContent = t(changes.length ? 'changesAgainst' : 'noChangesAgainst', { v: latest });
    changesEl.appendChild(h);
    var ul = document.createElement('ul');
    changes.forEach(function (c) {
      var li = document.createElement('li');
      li.textContent = c.text;
      li.dataset.kind = c.kind;
      ul.appendChild(li);
    });
    changesEl.appendChild(ul);
  }

  function check() {
    clearMarks();
    say(t('checking'));
    return payload().then(function (data) {
      return api('/api/v1/process-models/validate', { method: 'POST', body: data });
    }).then(function (r) {
      if (r.status === 200) {
        say(t('clean'), 'ok');
        showWarnings(r.body.warnings);
        showChanges(r.body.changes, r.body.latest_version);
        deployBtn.disabled = !(r.body.changes === null || r.body.changes.length);
      } else if (r.status === 422) {
        say(t('mustFix', { n: r.body.errors.length }), 'bad');
        showProblems(r.body.errors);
        showChanges(null);
        deployBtn.disabled = true;
      } else {
        say((r.body && r.body.detail) || t('checkFailed', { status: r.status }), 'bad');
      }
    });
  }

  function deploy() {
    deployBtn.disabled = true;
    say(t('deploying'));
    return payload().then(function (data) {
      return api('/api/v1/process-models', { method: 'POST', body: data });
    }).then(function (r) {
      if (r.status === 201) {
        say(t('deployed', { v: r.body.version }), 'ok');
        clearMarks();
        showWarnings(r.body.warnings);
        root.dataset.deployed = String(r.body.version);
      } else if (r.status === 200) {
        say(t('identical', { v: r.body.version }), 'ok');
      } else if (r.status === 422) {
        say(t('refused', { n: r.body.errors.length }), 'bad');
        showProblems(r.body.errors);
      } else {
        say((r.body && r.body.detail) || t('deployFailed', { status: r.status }), 'bad');
      }
    });
  }

  if (!readonly) {
    document.getElementById('validate').addEventListener('click', check);
    deployBtn.addEventListener('click', deploy);
    modeler.on('commandStack.changed', invalidate);
    bindPanel();
  }
  load().then(loadForms);
}());
