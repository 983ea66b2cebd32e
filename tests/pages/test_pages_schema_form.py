"""Reading a posted form back as the JSON its schema describes, and drawing errors beside fields."""
from __future__ import annotations

import json
from pathlib import Path

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


# -- the Guide's own forms ----------------------------------------------------------------------------------
FORMS = Path(__file__).resolve().parents[2] / "forms"


def _form(name):
    return json.loads((FORMS / name).read_text(encoding="utf-8"))


def _walk(node):
    yield node
    for child in node.children:
        yield from _walk(child)


def _at(root, path):
    return next(n for n in _walk(root) if n.path == path)


def test_every_guide_form_draws_with_a_label_on_every_field():
    for path in sorted(FORMS.glob("*.json")):
        schema = json.loads(path.read_text(encoding="utf-8"))
        root = build(schema, {}, {})
        for node in _walk(root):
            if node.path:
                assert node.label and node.label != node.path.rsplit(".", 1)[-1], (path.name, node.path)
            if node.kind in ("radio", "select", "checkboxes"):
                assert node.options and all(label for _, label in node.options), (path.name, node.path)


def test_registration_form_titles_its_choices_and_keeps_a_missing_iin_out_of_the_data():
    schema = _form("ch1-registration.schema.json")
    root = build(schema, {"registration_number": "2026-000001"}, {})
    assert _at(root, "registration_number").kind == "readonly"
    channel = _at(root, "channel")
    assert channel.kind == "radio" and channel.options[0] == ("oral_or_remote", "Устно или посредством любых видов "
                                                                                 "связи, в том числе интернета")
    assert _at(root, "detected_by").kind == "select"                      # five choices: a list to pick from
    iin = _at(root, "child.iin")
    assert iin.kind == "text" and iin.attrs["inputmode"] == "numeric" and not iin.required
    assert _at(root, "reporter.phone").attrs["type"] == "tel"              # the phone's keypad on a phone
    # birth date and sex say that, left empty, they come from the ИИН (app/forms/known.py)
    assert _at(root, "child.birth_date").attrs["from_iin"] and _at(root, "child.sex").attrs["from_iin"]
    assert not _at(root, "child.last_name").attrs.get("from_iin")
    reason = _at(root, "child.no_iin_reason")
    assert reason.options[2] == ("unknown", "ИИН неизвестен")
    assert reason.kind == "select"                        # optional: a list whose empty entry takes the answer back
    assert parse(schema, MultiDict([("child.no_iin_reason", "")])) == {}
    assert _at(root, "case_summary").kind == "textarea"                    # x-widget: textarea
    # an unticked box is an answer: required booleans are not starred (the ack's const-true box is)
    assert not _at(root, "offence_signs").required and not _at(root, "reporter.anonymous").required
    assert _at(build(_form("ack.schema.json"), {}, {}), "acknowledged").required

    posted = MultiDict([("child.last_name", "Иванова"), ("child.first_name", "Айгерим"), ("child.iin", ""),
                        ("child.no_iin_reason", "unknown"), ("__b:offence_signs", "1"), ("offence_signs", "on"),
                        ("__b:reporter.anonymous", "1"), ("detected_by", "education")])
    data = parse(schema, posted)
    assert data["child"] == {"last_name": "Иванова", "first_name": "Айгерим", "no_iin_reason": "unknown"}
    assert data["offence_signs"] is True and data["reporter"] == {"anonymous": False}


def test_family_members_grow_by_one_and_are_read_back_with_their_relation():
    schema = _form("ch1-primary-info.schema.json")
    data = apply_action(schema, parse(schema, MultiDict([("__n:family_members", "0")])), "add:family_members")
    assert data["family_members"] == [{}]
    root = build(schema, data, {})
    member = _at(root, "family_members.0")
    assert member.label == "Член семьи 1" and _at(root, "family_members.0.relation").kind == "select"
    posted = MultiDict([("__n:family_members", "1"), ("family_members.0.last_name", "Иванова"),
                        ("family_members.0.relation", "mother"), ("__b:family_members.0.lives_with_child", "1")])
    assert parse(schema, posted)["family_members"] == [
        {"last_name": "Иванова", "relation": "mother", "lives_with_child": False}]


def test_a_checkbox_hint_and_error_sit_above_the_box_not_inside_its_line(app):
    from flask import render_template_string
    schema = _form("ch2-closure.schema.json")          # if close then causes_removed must be ticked
    root = build(schema, {"closure_decision": "close"}, {"causes_removed": ["Недопустимое значение"]})
    with app.test_request_context():
        html = render_template_string('{% from "_form.html" import render %}{{ render(form) }}', form=root)
    box = html.index('id="f-causes_removed"')
    line = html.rindex('class="field--check"', 0, box)
    error = html.index('id="f-causes_removed-error"')
    assert error < line                                # the message comes before the box's own line
    assert 'aria-describedby="f-causes_removed-error"' in html[box:box + 300]


def test_a_list_words_its_add_button_as_russian_says_it():
    """«+ Добавить члена семьи» (the form's x-addLabel, in each language), never «+ Добавить: Член семьи»."""
    from app.forms import localize
    schema = _form("ch1-primary-info.schema.json")
    assert _at(build(schema, {}, {}), "family_members").attrs["add_label"] == "Добавить члена семьи"
    assert _at(build(localize(schema, "kk"), {}, {}), "family_members").attrs["add_label"] == "Отбасы мүшесін қосу"
    assert _at(build({"type": "object", "properties": {"xs": {"type": "array", "items": {"type": "object"}}}}, {}, {}),
               "xs").attrs["add_label"] is None
