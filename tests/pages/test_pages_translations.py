"""Every string of the staff pages (app/pages, app/templates/*.html) has its Russian translation, and the shipped .mo matches the .po."""
from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "app" / "translations" / "ru" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
METHODS = [("**.py", "python"), ("*.html", "jinja2")]     # templates: the pages' own (top level) only;
# other features' templates (app/templates/modeler/, ...) keep their own strings' translations up to date.
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}


def _extracted(directory: Path) -> set[str]:
    found = set()
    for _name, _line, message, _comments, _ctx in extract_from_dir(str(directory), METHODS, keywords=KEYWORDS):
        found.update(message if isinstance(message, tuple) else (message,))
    return {m for m in found if m}


def test_every_page_string_has_a_russian_translation():
    catalog = read_po(PO.open("rb"), locale="ru")
    translated = {m.id for m in catalog if m.id and m.string and "fuzzy" not in m.flags}
    used = _extracted(ROOT / "app" / "pages") | _extracted(ROOT / "app" / "templates")
    missing = sorted(used - translated)
    assert not missing, f"untranslated (add to {PO.relative_to(ROOT)} and run pybabel compile): {missing}"


def test_the_compiled_catalog_matches_the_source():
    po = {m.id: m.string for m in read_po(PO.open("rb"), locale="ru") if m.id and m.string}
    mo = {m.id: m.string for m in read_mo(io.BytesIO(MO.read_bytes())) if m.id}
    assert mo == po, "app/translations/ru/LC_MESSAGES/messages.mo is stale: run `pybabel compile -d app/translations`"
