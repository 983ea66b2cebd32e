"""The modeler's bpmn-js words: Kazakh from our catalog, Russian from bpmn-js-i18n plus ours.

bpmn-js-i18n's ``en.js`` lists every string bpmn-js itself shows (palette, context pad, replace menu,
search, import messages); our Kazakh catalog must have each, and every word of the properties panel
that our Russian catalog has (the panel's BPMN groups and element types), so that a Kazakh owner never
meets an English label the Russian owner does not. The browser test
(tests/browser/test_modeler.py::test_the_modeler_speaks_kazakh_...) sees them on the page.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORDS = ROOT / "app" / "static" / "modeler" / "words"
I18N = ROOT / "node_modules" / "bpmn-js-i18n" / "translations"     # installed by `make assets` (npm ci)
KAZAKH = re.compile("[әғқңөұүһі]", re.I)


def _catalog(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("= {") + 2:text.rindex("}") + 1])


def _module(path: Path) -> dict[str, str]:
    text = path.read_text(encoding="utf-8")
    return json.loads(text[text.index("{"):text.rindex("}") + 1])


def _placeholders(text: str) -> list[str]:
    return sorted(re.findall(r"\{(\w+)\}", text))


def test_kazakh_has_every_string_of_bpmn_js_and_every_panel_word_russian_has():
    kk, ru = _catalog(WORDS / "kk.js"), _catalog(WORDS / "ru.js")
    upstream = _module(I18N / "en.js")
    assert len(upstream) > 100
    assert sorted(set(upstream) - set(kk)) == []
    assert sorted(set(ru) - set(kk)) == []
    assert {"General", "Name", "Documentation", "User Task", "Exclusive Gateway", "Timer"} <= set(kk)


def test_every_kazakh_word_is_kazakh_text_with_the_same_placeholders():
    kk = _catalog(WORDS / "kk.js")
    not_words = {"Ad-hoc", "Ad-hoc sub-process"}          # a BPMN term kept as it is, like ID
    for english, kazakh in kk.items():
        assert _placeholders(kazakh) == _placeholders(english), english
        if english not in not_words and re.search("[A-Za-z]{3}", english) and not english.startswith("<"):
            assert re.search("[А-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі]", kazakh), english
    assert sum(bool(KAZAKH.search(v)) for v in kk.values()) > len(kk) / 2


def test_russian_fills_what_bpmn_js_i18n_lacks_and_the_vendor_copy_is_a_plain_script():
    ru, vendor = _catalog(WORDS / "ru.js"), _module(I18N / "ru.js")
    upstream = _module(I18N / "en.js")
    user_visible = {k for k in upstream if k[:1].isupper()}       # import messages are lower-case
    assert sorted(user_visible - set(vendor) - set(ru)) == []
    copied = (ROOT / "app" / "static" / "vendor" / "bpmn-js-i18n" / "ru.js").read_text(encoding="utf-8")
    assert copied.startswith("(window.qamqorBpmnWords = window.qamqorBpmnWords || {}).vendorRu = {")
    assert "export default" not in copied
