"""The OpenAPI 3.1 description of /api/v1, served for clients and the schema fuzzer.

The core endpoints (app.api), the modeler's (app.modeler.api) and the auditors' (app.audit.api):
every route registered under /api/v1 is here, so the fuzzer in tests/security reaches it.
"""
from . import api

_problem = {"description": "problem", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
_obj = {"type": "object"}


def _json(schema, description="ok"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _op(summary, responses, body=None, params=()):
    op = {"summary": summary, "security": [{"bearer": []}], "parameters": list(params),
          "responses": {**responses, "401": _problem, "403": _problem, "404": _problem, "400": _problem}}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    return op


def _path(name, schema=None):
    return {"name": name, "in": "path", "required": True, "schema": schema or {"type": "string"}}


def _query(name, schema):
    return {"name": name, "in": "query", "required": False, "schema": schema}


_FLAG = {"type": "string", "enum": ["true", "false", "1", "0", "yes", "no"]}
_NUMBER = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}         # a version number or row id
_MODEL = {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"],
    "properties": {"file": {"type": "string", "format": "binary"},
                   "forms": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}
_DOCUMENT = {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {"file": {"type": "string", "format": "binary"}}}}}}
_XML = {"description": "the BPMN diagram as deployed", "content": {"application/xml": {"schema": {"type": "string"}}}}
_DAY = {"type": "string", "description": "YYYY-MM-DD (an Almaty day) or ISO 8601 with offset"}
_PERIOD = [_query("since", _DAY), _query("until", _DAY)]
# Deploy's answer: the version, and warnings that do not refuse it (an element lacking kk or en words).
_DEPLOYED = {"type": "object", "properties": {
    "process_id": {"type": "string"}, "version": {"type": "integer"}, "sha256": {"type": "string"},
    "created": {"type": "boolean"},
    "warnings": {"type": "array", "items": {"type": "object", "properties": {
        "element_id": {"type": "string"}, "code": {"type": "string", "enum": ["translation_missing"]},
        "type": {"type": "string"}, "languages": {"type": "array", "items": {"type": "string", "enum": ["kk", "en"]}},
        "message": {"type": "string", "description": "in the request's language"}}}}}}


def _page(limit):
    return [_query("limit", {"type": "integer", "minimum": 1, "maximum": limit}),
            _query("offset", {"type": "integer", "minimum": 0})]


def _get(summary, ok, params=(), *more):
    """A read: ``ok`` is the 200 response; ``more`` adds problem statuses (422 bad query, 409 ...)."""
    return {"get": _op(summary, {"200": ok, **{str(code): _problem for code in more}}, params=params)}

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Qamqor API", "version": "1"},
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Problem": {"type": "object", "required": ["title", "status", "code", "params", "detail"],
                        "properties": {
                            "title": {"type": "string"}, "status": {"type": "integer"},
                            "code": {"type": "string", "description": "stable; the same in every language"},
                            "params": {"type": "object", "description": "the values the detail is worded with"},
                            "detail": {"type": "string", "description": "in the Accept-Language asked for (kk, ru, "
                                                                          "en); English when none is sent"},
                            "errors": {"type": "array", "items": {"type": "object", "properties": {
                                "field": {"type": "string"}, "element_id": {"type": ["string", "null"]},
                                "code": {"type": "string"}, "params": {"type": "object"},
                                "message": {"type": "string"}}}}}},
            "Task": {"type": "object", "properties": {"id": {"type": "string"}, "instance_id": {"type": "string"},
                                                      "bpmn_id": {"type": "string"}, "name": {"type": ["string", "null"]},
                                                      "lane": {"type": ["string", "null"]}, "form": {"type": ["string", "null"]},
                                                      "due_at": {"type": ["string", "null"]}}},
            "TaskWithForm": {"allOf": [{"$ref": "#/components/schemas/Task"}, {
                "type": "object", "properties": {
                    "data": {"type": "object", "description": "what the form opens with (instance data, then draft)"},
                    "form_schema": {"type": ["object", "null"],
                                    "description": "the JSON Schema the data is completed against, worded in the "
                                                   "response's Content-Language (ru, kk or en)"},
                    "ui_schema": {"type": ["object", "null"], "description": "how to lay the form out"}}}]},
        },
    },
    "paths": {
        "/process-models": {
            "get": _op("List the latest version of every process", {"200": _json(_obj)}),
            "post": {**_op("Deploy a BPMN diagram with its forms", {"201": _json(_DEPLOYED), "200": _json(_DEPLOYED),
                                                                    "422": _problem}),
                     "requestBody": {"required": True, "content": _MODEL}},
        },
        "/process-instances": {
            "post": _op("Start an instance of the latest version", {"201": _json(_obj), "422": _problem, "409": _problem},
                        body={"type": "object", "required": ["process_id"],
                              "properties": {"process_id": {"type": "string", "minLength": 1},
                                             "data": {"type": ["object", "null"]}}}),
        },
        "/process-instances/{instance_id}": {"get": _op("One instance with its open tasks", {"200": _json(_obj)},
                                                        params=[_path("instance_id")])},
        "/process-instances/{instance_id}/events": {"get": _op("The instance's event log", {"200": _json(_obj)},
                                                               params=[_path("instance_id")])},
        "/tasks": {"get": _op("Ready user tasks the caller may see", {"200": _json(_obj), "422": _problem},
                              params=[_query("instance", {"type": "string"}), _query("lane", {"type": "string"}),
                                      _query("case", {"type": "string"}),
                                      _query("overdue", _FLAG), _query("mine", _FLAG),
                                      _query("limit", {"type": "integer", "minimum": 1, "maximum": 500}),
                                      _query("offset", {"type": "integer", "minimum": 0})])},
        "/cases": {"get": _op("Cases the caller may see, found by number (or part), ИИН or names; newest first",
                              {"200": _json(_obj), "422": _problem},
                              params=[_query("q", {"type": "string", "maxLength": 200}),
                                      _query("state", {"type": "string", "enum": ["open", "closed"]}),
                                      _query("chapter", {"type": "string"}),
                                      _query("mine", _FLAG), _query("overdue", _FLAG),
                                      *_PERIOD,
                                      _query("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
                                      _query("offset", {"type": "integer", "minimum": 0, "maximum": 1000000})])},
        "/tasks/{task_id}": {"get": _op("One task with its form data, JSON Schema and UI schema; the schemas' words in "
                                        "the Accept-Language (else the user's language), the same fields and values",
                                        {"200": _json({"$ref": "#/components/schemas/TaskWithForm"})},
                                        params=[_path("task_id"),
                                                {"name": "Accept-Language", "in": "header", "required": False,
                                                 "schema": {"type": "string", "examples": ["kk", "ru", "en-GB"]}}])},
        "/tasks/{task_id}/complete": {"post": _op(
            "Complete a task with its form data. A child's ИИН another case already holds answers 409 with "
            "same_child_cases until the body says link_to_case (that case's id) or new_case_reason",
            {"200": _json(_obj), "409": _problem, "422": _problem},
            body={"type": "object", "properties": {
                "data": _obj, "link_to_case": {"type": "string", "maxLength": 36},
                "new_case_reason": {"type": "string", "maxLength": 2000}}},
                                                  params=[_path("task_id")])},
        # -- documents (issue 13) --
        "/cases/{case_id}/documents": {
            "post": {**_op("Attach a file to a case (PDF, JPEG, PNG, DOCX by content; photos and DOCX lose their "
                           "metadata)", {"201": _json(_obj), "413": _problem, "422": _problem, "409": _problem,
                                         "503": _problem},
                           params=[_path("case_id")]), "requestBody": _DOCUMENT},
            **_get("The case's documents with their SHA-256", _json(_obj), [_path("case_id")])},
        "/tasks/{task_id}/documents": {"post": {**_op("Attach a file to a task's case, naming the task",
                                                      {"201": _json(_obj), "413": _problem, "422": _problem,
                                                       "409": _problem, "503": _problem}, params=[_path("task_id")]),
                                                "requestBody": _DOCUMENT}},
        "/documents/{document_id}": {"get": _op("Download a document (recorded in the access log)",
                                                {"200": {"description": "the file", "content": {
                                                    "application/octet-stream": {"schema": {"type": "string"}}}},
                                                 "409": _problem, "503": _problem}, params=[_path("document_id")])},
        "/tasks/{task_id}/claim": {"post": _op("Claim a task", {"200": _json(_obj), "409": _problem},
                                               params=[_path("task_id")])},
        "/tasks/{task_id}/unclaim": {"post": _op("Release a task", {"200": _json(_obj), "409": _problem},
                                                 params=[_path("task_id")])},
        "/tasks/{task_id}/assign": {"post": _op("Hand a task to a colleague", {"200": _json(_obj), "409": _problem,
                                                                               "422": _problem},
                                                body={"type": "object", "properties": {"to": {"type": "string"}}},
                                                params=[_path("task_id")])},
        "/tasks/{task_id}/draft": {"put": _op("Save a draft of the form", {"200": _json(_obj), "409": _problem},
                                              body={"type": "object", "properties": {"data": _obj}},
                                              params=[_path("task_id")])},
        "/messages": {"get": _op("The fate of a case's messages", {"200": _json(_obj), "422": _problem},
                                 params=[{**_query("case_id", {"type": "string", "minLength": 1}), "required": True}]),
                      "post": _op("Post a message into the outbox: one a lane of the caller's agency throws (integrations: by "
                                              "their role), into a case they take part in; the caller is the sender; "
                                              "payload fields the service sets (*_at, due dates, notified_by) are 422",
                                              {"202": _json(_obj), "422": _problem},
                                  body={"type": "object", "required": ["name", "correlation"],
                                        "properties": {"name": {"type": "string"},
                                                       "correlation": {"type": "object", "properties": {"case_id": {"type": "string"}}},
                                                       "payload": _obj}})},
        # -- territories and cases (issue 11) --
        "/territories": _get("Units of the КАТО classifier under a parent (none: the oblasts)", _json(_obj),
                             [_query("parent", {"type": "string", "description": "a КАТО code; empty or absent: the top level"})],
                             422),
        "/cases/{case_id}": _get("A case: territory, organisations, open duties, timeline (child masked)",
                                 _json(_obj), [_path("case_id")]),
        "/tasks/{task_id}/transfer": {"post": _op(
            "Hand an open task to another organisation of its agency (supervisors; reason required)",
            {"200": _json(_obj), "422": _problem},
            body={"type": "object", "required": ["to", "reason"],
                  "properties": {"to": {"type": "string"}, "reason": {"type": "string"}}},
            params=[_path("task_id")])},
        "/cases/{case_id}/transfer": {"post": _op(
            "Move the caller's unit's open tasks in a case to another organisation (supervisors; reason required)",
            {"200": _json(_obj), "422": _problem},
            body={"type": "object", "required": ["to", "reason"],
                  "properties": {"to": {"type": "string"}, "reason": {"type": "string"}}},
            params=[_path("case_id")])},
        "/cases/{case_id}/territory": {"put": _op(
            "The child's residence changed: open work moves to the units serving the new territory (reason required)",
            {"200": _json(_obj), "422": _problem},
            body={"type": "object", "required": ["territory", "reason"],
                  "properties": {"territory": {"type": "string"}, "reason": {"type": "string"}}},
            params=[_path("case_id")])},
        "/cases/{case_id}/withdrawal": {"post": _op(
            "Withdraw a registration made in error: every instance of the case is cancelled, nothing deleted "
            "(the registrant or a supervisor of their unit, while the case is open; reason of 10+ characters)",
            {"201": _json(_obj), "409": _problem, "422": _problem},
            body={"type": "object", "required": ["reason"],
                  "properties": {"reason": {"type": "string", "minLength": 10, "maxLength": 1000}}},
            params=[_path("case_id")])},
        # -- users (admins) --
        "/users": {"post": _op("Create a user; the answer carries their API token, shown once",
                               {"201": _json(_obj), "409": _problem, "422": _problem},
                               body={"type": "object", "required": ["username"],
                                     "properties": {"username": {"type": "string"}, "agency": {"type": "string"},
                                                    "roles": {"type": "array", "items": {"type": "string"}},
                                                    "password": {"type": "string"},
                                                    "full_name": {"type": "string"},
                                                    "email": {"type": "string", "format": "email"}}})},
        "/users/{username}/password": {"post": _op(
            "Set a user's password (the policy applies); ends every session of theirs",
            {"200": _json(_obj), "422": _problem},
            body={"type": "object", "required": ["password"], "properties": {"password": {"type": "string"}}},
            params=[_path("username")])},
        "/users/{username}/sessions/revoke": {"post": _op("Sign a user out of every browser", {"200": _json(_obj)},
                                                          params=[_path("username")])},
        # -- incidents: failed worker steps (supervisors of the case's agencies, process owners, auditors) --
        "/incidents": _get("Failed steps of messages, timers and completions, newest first", _json(_obj),
                           [_query("status", {"type": "string", "enum": ["open", "resolved", "all"]}),
                            _query("limit", {"type": "integer", "minimum": 1, "maximum": 500})], 422),
        "/incidents/{incident_id}/retry": {"post": _op(
            "Have the worker try a failed message or timer again now (process owners)",
            {"200": _json(_obj), "409": _problem}, params=[_path("incident_id", _NUMBER)])},
        # -- the modeler (process owners; versions are readable by auditors too) --
        "/process-models/validate": {"post": {
            **_op("Check a diagram and its forms without deploying; changes against the latest version",
                  {"200": _json(_obj), "422": _problem}),
            "requestBody": {"required": True, "content": _MODEL}}},
        "/process-models/{process_id}/versions": _get("Every version with its running cases", _json(_obj),
                                                      [_path("process_id")]),
        "/process-models/{process_id}/versions/{number}": _get(
            "One version's diagram, read-only", _XML, [_path("process_id"), _path("number", _NUMBER)]),
        "/process-models/{process_id}/versions/{number}/forms": _get(
            "One version's forms", _json(_obj), [_path("process_id"), _path("number", _NUMBER)]),
        "/process-models/{process_id}/diff": _get(
            "Changes between two versions", _json(_obj),
            [_path("process_id"), {**_query("from", _NUMBER), "required": True},
             {**_query("to", _NUMBER), "required": True}], 422),
        "/forms": _get("The forms catalogue: forms/ and every deployed version's", _json(_obj)),
        "/forms/{name}": _get("One form's JSON Schema", _json(_obj), [_path("name")]),
        "/process-instances/{instance_id}/migration": _get(
            "Would the instance move to a version (default the newest)? Changes nothing", _json(_obj),
            [_path("instance_id"), _query("to_version", _NUMBER)], 409, 422),
        "/process-instances/{instance_id}/migrate": {"post": {
            **_op("Move a running instance to a version (default the newest); 409 names the elements in the way",
                  {"200": _json(_obj), "409": _problem, "422": _problem}, params=[_path("instance_id")]),
            "requestBody": {"required": False, "content": {"application/json": {"schema": {
                "type": "object", "properties": {"to_version": {"type": ["integer", "null"], "minimum": 1,
                                                               "maximum": 2**31 - 1}}}}}}}},
        # -- the audit (auditors; admins except the access log) --
        "/audit/instances": _get(
            "Instances for auditors, filtered", _json(_obj),
            [_query("case", {"type": "string"}), _query("registration_number", {"type": "string"}),
             _query("process_id", {"type": "string"}), _query("agency", {"type": "string"}), *_PERIOD,
             _query("status", {"type": "string", "enum": ["running", "waiting", "completed", "error", "cancelled"]}),
             _query("overdue", {**_FLAG, "enum": [*_FLAG["enum"], "any"]}), *_page(500)], 422),
        "/process-instances/{instance_id}/replay": _get(
            "The instance re-executed up to event N: data, path, tokens, change", _json(_obj),
            [_path("instance_id"), _query("step", _NUMBER)], 422),
        "/process-instances/{instance_id}/verification": _get(
            "Hash chain, anchors and re-execution verdict", _json(_obj), [_path("instance_id")]),
        "/audit/versions/{version_id}/diagram": _get("The diagram of a version by its id", _XML,
                                                     [_path("version_id", _NUMBER)]),
        "/audit/anchors": _get("The chained anchors, newest first", _json(_obj), _page(500)[:1], 422),
        "/audit/access-log": _get(
            "Who opened which case, instance or task (auditors only)", _json(_obj),
            [_query("case_id", {"type": "string"}), _query("username", {"type": "string"}), *_PERIOD, *_page(1000)],
            422),
        "/dashboard": {"get": _op(
            "Counts across cases in the caller's scope: open cases per chapter and agency, deadlines kept per clause "
            "and month, overdue tasks per organisation, notices awaiting acknowledgement; CSV with counts < 5 suppressed",
            {"200": {"description": "the figures", "content": {"application/json": {"schema": _obj},
                                                               "text/csv": {"schema": {"type": "string"}}}},
             "422": _problem},
            params=[*_PERIOD, _query("territory", {"type": "string", "pattern": "^([0-9]{9})?$"}),
                    _query("format", {"type": "string", "enum": ["json", "csv"]})])},
        "/audit/compliance": {"get": _op(
            "Deadlines kept and missed per clause and agency, JSON or CSV",
            {"200": {"description": "the report", "content": {"application/json": {"schema": _obj},
                                                              "text/csv": {"schema": {"type": "string"}}}},
             "422": _problem},
            params=[*_PERIOD, _query("agency", {"type": "string"}), _query("process_id", {"type": "string"}),
                    _query("format", {"type": "string", "enum": ["json", "csv"]})])},
    },
}


@api.get("/openapi.json")
def openapi():
    return SPEC
