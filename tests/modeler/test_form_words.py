"""The forms editor's words: an owner sees a form's Russian words with their Kazakh and English twins, previews
the form in each language, and deploy refuses a malformed x-i18n with a 422 naming its JSON pointer."""
import json
import re

from support import FIXTURES, ROOT
from tests.pages.test_pages_http import PASSWORD, _signed_in

REGISTRATION = (ROOT / "forms" / "ch1-registration.schema.json").read_text(encoding="utf-8")


def _owner_page(server, make_user):
    make_user("designer", None, "process_owner", password=PASSWORD)
    s = _signed_in(server, "designer")
    csrf = re.search(r'name="csrf-token" content="([^"]+)"|data-csrf="([^"]+)"|name="csrf_token" value="([^"]+)"',
                     s.get(server + "/inbox").text)
    return s, next(g for g in csrf.groups() if g)


def test_the_words_table_lists_each_russian_word_with_its_kazakh_and_english(server, make_user):
    s, csrf = _owner_page(server, make_user)
    r = s.post(server + "/modeler/forms/words", data={"schema": REGISTRATION, "csrf_token": csrf})
    assert r.status_code == 200, r.text[:300]
    assert "Every word has its Kazakh and English translation." in r.text or "У каждого слова" in r.text
    assert 'data-pointer="/properties/child/properties/sex/oneOf/1"' in r.text
    assert 'value="Әйел"' in r.text and 'value="Female"' in r.text
    bare = json.dumps({"type": "object", "properties": {"a": {"type": "string", "title": "Поле"}}})
    r = s.post(server + "/modeler/forms/words", data={"schema": bare, "csrf_token": csrf})
    assert r.status_code == 200 and r.text.count('class="missing"') == 2                # kk and en of «Поле»


def test_the_preview_draws_the_form_in_the_chosen_language(server, make_user):
    s, csrf = _owner_page(server, make_user)
    kk = s.post(server + "/modeler/forms/preview/kk", data={"schema": REGISTRATION, "csrf_token": csrf})
    en = s.post(server + "/modeler/forms/preview/en", data={"schema": REGISTRATION, "csrf_token": csrf})
    assert kk.status_code == en.status_code == 200
    assert "Кем выявлен факт насилия" not in kk.text and "Фактіні кім анықтады" in kk.text
    assert "Detected by" in en.text and 'value="police"' in en.text and 'value="police"' in kk.text
    assert s.post(server + "/modeler/forms/preview/de", data={"schema": REGISTRATION, "csrf_token": csrf}).status_code == 404


def test_a_malformed_x_i18n_is_refused_naming_its_pointer(server, make_user, owner):
    s, csrf = _owner_page(server, make_user)
    schema = json.loads(REGISTRATION)
    schema["properties"]["child"]["properties"]["sex"]["x-i18n"]["de"] = {"title": "Geschlecht"}
    schema["properties"]["event_place"]["x-i18n"]["kk"]["title"] = 7
    r = s.post(server + "/modeler/forms/words", data={"schema": json.dumps(schema), "csrf_token": csrf})
    assert r.status_code == 422
    assert "/properties/child/properties/sex/x-i18n/de" in r.text and "/properties/event_place/x-i18n/kk/title" in r.text
    # deploying it (what the editor's Deploy does) is refused the same way
    files = [("file", ("reporter.bpmn", (FIXTURES / "bpmn" / "reporter.bpmn").read_bytes(), "application/xml")),
             ("forms", ("fixture-report.json", json.dumps(schema).encode(), "application/json")),
             ("forms", ("fixture-ack.json", (FIXTURES / "forms" / "fixture-ack.json").read_bytes(), "application/json"))]
    deployed = owner.post("/process-models", files=files)
    assert deployed.status_code == 422
    assert "/properties/child/properties/sex/x-i18n/de" in json.dumps(deployed.json(), ensure_ascii=False)


def test_staff_cannot_use_the_words_endpoints(server, make_user):
    make_user("clerk", "police", "staff", password=PASSWORD)
    s = _signed_in(server, "clerk")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"|data-csrf="([^"]+)"|name="csrf-token" content="([^"]+)"',
                     s.get(server + "/inbox").text)
    token = next(g for g in csrf.groups() if g) if csrf else ""
    r = s.post(server + "/modeler/forms/words", data={"schema": REGISTRATION, "csrf_token": token},
               allow_redirects=False)
    assert r.status_code == 403
