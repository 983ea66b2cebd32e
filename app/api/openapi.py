"""The OpenAPI 3.1 description of /api/v1, served for clients and the schema fuzzer."""
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


def _path(name):
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _query(name, schema):
    return {"name": name, "in": "query", "required": False, "schema": schema}


_FLAG = {"type": "string", "enum": ["true", "false", "1", "0", "yes", "no"]}

SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Qamqor API", "version": "1"},
    "servers": [{"url": "/api/v1"}],
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {
            "Problem": {"type": "object", "properties": {"title": {"type": "string"}, "status": {"type": "integer"},
                                                         "detail": {"type": "string"}, "errors": {"type": "array"}}},
            "Task": {"type": "object", "properties": {"id": {"type": "string"}, "instance_id": {"type": "string"},
                                                      "bpmn_id": {"type": "string"}, "name": {"type": ["string", "null"]},
                                                      "lane": {"type": ["string", "null"]}, "form": {"type": ["string", "null"]},
                                                      "due_at": {"type": ["string", "null"]}}},
        },
    },
    "paths": {
        "/process-models": {
            "get": _op("List the latest version of every process", {"200": _json(_obj)}),
            "post": {**_op("Deploy a BPMN diagram with its forms", {"201": _json(_obj), "200": _json(_obj),
                                                                    "422": _problem}),
                     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                         "type": "object", "required": ["file"],
                         "properties": {"file": {"type": "string", "format": "binary"},
                                        "forms": {"type": "array", "items": {"type": "string", "format": "binary"}}}}}}}},
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
        "/tasks/{task_id}": {"get": _op("One task with its form data", {"200": _json({"$ref": "#/components/schemas/Task"})},
                                        params=[_path("task_id")])},
        "/tasks/{task_id}/complete": {"post": _op("Complete a task with its form data",
                                                  {"200": _json(_obj), "409": _problem, "422": _problem},
                                                  body={"type": "object", "properties": {"data": _obj}},
                                                  params=[_path("task_id")])},
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
                      "post": _op("Post a message into the outbox", {"202": _json(_obj), "422": _problem},
                                  body={"type": "object", "required": ["name", "correlation"],
                                        "properties": {"name": {"type": "string"},
                                                       "correlation": {"type": "object", "properties": {"case_id": {"type": "string"}}},
                                                       "payload": _obj}})},
    },
}


@api.get("/openapi.json")
def openapi():
    return SPEC
