"""The forms editor's words: a form's Russian, Kazakh and English words side by side, and its preview in
each language.

Why here and not only as raw JSON: a process owner translating a form should not have to find every
``x-i18n`` by hand. The editor posts the JSON it holds; this answers with one row per Russian word
(``app.forms.i18n.word_rows``), the browser (``static/modeler/form_words.js``) writes what the owner
types back into the JSON under ``x-i18n``, and deploy checks it like any form (``check_schema``).
"""
from __future__ import annotations

import json

from flask import render_template, request
from flask_babel import gettext as _

from ..forms.i18n import localize, missing_words, word_rows
from ..forms.validation import check_schema
from ..i18n import LANGUAGES
from ..pages.schema_form import build
from .pages import OWNERS, modeler_pages, owners_only


def _posted_schema() -> tuple[dict | None, dict, list[str]]:
    """(schema, ui schema, errors) from the editor's post; errors name the JSON pointer of what is wrong."""
    try:
        schema = json.loads(request.form.get("schema", ""))
        ui = json.loads(request.form.get("ui") or "{}")
    except ValueError as exc:
        return None, {}, [_("Not valid JSON: %(e)s", e=exc)]
    if not isinstance(schema, dict) or not isinstance(ui, dict):
        return None, {}, [_("The form must be a JSON object")]
    errors = check_schema(schema)
    return (None, {}, [str(e) for e in errors]) if errors else (schema, ui, [])


@modeler_pages.post("/forms/words")
@owners_only(*OWNERS)
def form_words():
    """Every Russian word of the posted form with its Kazakh and English twins, to translate in place."""
    schema, _ui, errors = _posted_schema()
    if errors:
        return render_template("modeler/_form_words.html", rows=None, errors=errors), 422
    return render_template("modeler/_form_words.html", rows=word_rows(schema), errors=[],
                           missing=len(missing_words(schema)))


@modeler_pages.post("/forms/preview/<lang>")
@owners_only(*OWNERS)
def preview_form_in(lang):
    """The form as staff reading ``lang`` will see it (Russian where a word is missing)."""
    if lang not in LANGUAGES:
        return render_template("modeler/_preview.html", node=None,
                               errors=[_("Unknown language: %(lang)s", lang=lang)]), 404
    schema, ui, errors = _posted_schema()
    if errors:
        return render_template("modeler/_preview.html", node=None, errors=errors), 422
    return render_template("modeler/_preview.html", node=build(localize(schema, lang), {}, {}, localize(ui, lang)),
                           errors=[])
