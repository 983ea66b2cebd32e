"""Every КАТО unit has an English name a reader can type: the oblasts by their established names, the
districts romanised from Kazakh (``app/territories/english.py``), and the name follows the page's language."""
import re

from app import territories
from app.territories.english import romanise


def test_every_unit_has_a_latin_english_name():
    units = territories.every()
    assert len(units) > 240
    for t in units:
        assert t.name_en and re.fullmatch(r"[A-Za-z][A-Za-z .'-]*", t.name_en), (t.code, t.name_en)
    top = {t.code: t.name_en for t in territories.children(None)}
    assert len(top) == 20 and {"Abai Region", "Jetisu Region", "Ulytau Region", "North Kazakhstan Region",
                               "East Kazakhstan Region", "West Kazakhstan Region", "Astana", "Almaty",
                               "Shymkent"} <= set(top.values())


def test_districts_are_romanised_from_kazakh():
    assert territories.get("196200000").name_en == "Talgar District"          # Талғар ауданы
    assert territories.get("104600000").name_en == "Urzhar District"          # Үржар, not the Russian Урджар
    assert territories.get("631000000").name_en == "Oskemen City"             # Өскемен Қ.Ә.
    assert territories.get("351000000").name_en == "Karaganda City"           # the established English spelling
    assert romanise("Біржан сал") == "Birzhan Sal"


def test_full_name_in_each_language():
    assert territories.full_name("196200000", "en") == "Talgar District, Almaty Region"
    assert territories.full_name("196200000", "kk") == "Талғар ауданы, Алматы облысы"
    assert territories.full_name("196200000", "ru") == "Талгарский район, Алматинская область"
    assert territories.get("471000000").name_kk == "Ақтау Қ.Ә."               # not the Russian «Г.А.»
