"""The replay and the court history read an event's data in the reader's language: field titles and the chosen
options' labels come from the forms' words (x-i18n), never a Russian title beside an English value or a bare code."""
import json
from pathlib import Path

from app.audit.court_data import field_labels, readable

FORMS = Path(__file__).resolve().parents[2] / "forms"
VERSION_FORMS = {name: json.loads((FORMS / name).read_text(encoding="utf-8"))
                 for name in ("ch1-registration.schema.json", "ch1-primary-info.schema.json")}
DATA = {"detected_by": "education", "offence_signs": True,
        "family_members": [{"relation": "mother", "lives_with_child": False}],
        "reporter": {"anonymous": False}, "unknown_field": "x"}


def test_labels_and_options_in_each_language():
    ru = dict(readable(DATA, field_labels(VERSION_FORMS, "ru")))
    kk = dict(readable(DATA, field_labels(VERSION_FORMS, "kk")))
    en = dict(readable(DATA, field_labels(VERSION_FORMS, "en")))
    assert ru["Кем выявлен факт насилия"] == "Сотрудник организации образования"
    assert kk["Фактіні кім анықтады"] == "Білім беру ұйымының қызметкері"
    assert en["Detected by"] == "Employee of an educational organisation"
    assert en["Family members 1 › Relation to the child"] == "Mother"
    assert en["Family members 1 › Lives with the child"] is False          # the page words yes/no itself
    assert kk["Отбасы мүшелері 1 › Балаға кім болып келеді"] == "Анасы"
    assert en["unknown_field"] == "x"                                       # no form names it: as it is


def test_service_fields_are_named_where_no_form_names_them():
    labels = field_labels(VERSION_FORMS, "en", extra={"reporting_agency": "Reporting agency", "detected_by": "ignored"})
    assert labels["reporting_agency"] == "Reporting agency" and labels["detected_by"] == "Detected by"
