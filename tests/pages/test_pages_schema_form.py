"""Reading a posted form back as the JSON its schema describes, and drawing errors beside fields."""
from __future__ import annotations

from werkzeug.datastructures import MultiDict

from app.pages.schema_form import apply_action, build, parse

SCHEMA = {
    "type": "object",
    "properties": {
        "child": {"type": "object", "properties": {"iin": {"type": ["string", "null"], "format": "iin"},
                                                   "sex": {"enum": ["male", "female"]}}},
        "count": {"type": "integer"},
        "weight": {"type": "number"},
        "danger": {"type": "boolean"},
        "kinds": {"type": "array", "items": {"enum": ["physical", "neglect"]}},
        "when": {"type": "string", "format": "date-time"},
        "members": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}},
        "level": {"enum": [1, 2, 3]},
    },
}


def test_posted_fields_become_typed_json_and_what_cannot_be_converted_is_kept_as_typed():
    form = MultiDict([("child.iin", " 150312600124 "), ("child.sex", "female"), ("count", "3"), ("weight", "12,5"),
                      ("__b:danger", "1"), ("kinds", "neglect"), ("when", "2026-12-01T09:30"),
                      ("__n:members", "2"), ("members.0.name", "Сауле"), ("members.1.name", ""), ("level", "2")])
    assert parse(SCHEMA, form) == {
        "child": {"iin": "150312600124", "sex": "female"}, "count": 3, "weight": 12.5, "danger": False,
        "kinds": ["neglect"], "when": "2026-12-01T09:30:00+05:00", "members": [{"name": "Сауле"}, {}], "level": 2}
    assert parse(SCHEMA, MultiDict([("count", "три")]))["count"] == "три"
    assert parse(SCHEMA, MultiDict([("count", ""), ("child.iin", "")])) == {}


def test_errors_land_on_their_fields_and_unknown_paths_go_to_the_summary():
    root = build(SCHEMA, {"child": {"iin": "1"}}, {"child.iin": ["Неверный ИИН"], "extra": ["Неизвестное поле"]})
    child = next(n for n in root.children if n.path == "child")
    iin = next(n for n in child.children if n.path == "child.iin")
    assert iin.errors == ["Неверный ИИН"] and iin.value == "1" and iin.id == "f-child__iin"
    assert root.attrs["unplaced"] == [("extra", "Неизвестное поле")]


def test_list_items_are_added_and_removed_by_path():
    data = {"members": [{"name": "a"}, {"name": "b"}]}
    assert apply_action(SCHEMA, data, "add:members")["members"] == [{"name": "a"}, {"name": "b"}, {}]
    assert apply_action(SCHEMA, data, "remove:members.0")["members"] == [{"name": "b"}, {}]
    assert apply_action(SCHEMA, data, "remove:members.9")["members"] == [{"name": "b"}, {}]
