/* The moddle descriptor of the spiffworkflow extension namespace: the extension elements the
   Qamqor engine reads (SpiffWorkflow's parser), so bpmn-js reads and writes them as typed
   objects instead of opaque XML. Exposed as window.QamqorSpiffModdle. */
(function () {
  'use strict';
  function body(name) {
    return { name: name, superClass: ['Element'], properties: [{ name: 'value', type: 'String', isBody: true }] };
  }
  window.QamqorSpiffModdle = {
    name: 'SpiffWorkflow',
    uri: 'http://spiffworkflow.org/bpmn/schema/1.0/core',
    prefix: 'spiffworkflow',
    xml: { tagAlias: 'lowerCase' },
    associations: [],
    types: [
      { name: 'Properties', superClass: ['Element'],
        properties: [{ name: 'properties', type: 'Property', isMany: true }] },
      { name: 'Property', superClass: ['Element'],
        properties: [{ name: 'name', type: 'String', isAttr: true }, { name: 'value', type: 'String', isAttr: true }] },
      body('InstructionsForEndUser'),
      body('PreScript'),
      body('PostScript'),
      body('MessagePayload'),
      body('MessageVariable'),
      body('CalledDecisionId'),
      { name: 'UnitTests', superClass: ['Element'], properties: [{ name: 'unitTests', type: 'UnitTest', isMany: true }] },
      { name: 'UnitTest', superClass: ['Element'],
        properties: [{ name: 'id', type: 'String', isAttr: true },
                     { name: 'inputJson', type: 'String' }, { name: 'expectedOutputJson', type: 'String' }] }
    ],
    enumerations: []
  };
}());
