"""English names of the КАТО units, which the classifier itself does not have (it is published in Kazakh and Russian).

Why derived and not a third column typed by hand: 228 districts would be 228 hand-typed names to keep in step
with each new edition of ``kato.csv``; a rule over the Kazakh name (the state-language name, which is also what
English-language maps and the government's own English pages follow: Talgar, Urzhar, Kokpekti, not the Russian
Talgarsky, Urdzharsky) gives them all and keeps up by itself. Only the top level and the few cities with a
different established English spelling are written out.

Which romanisation: a plain-ASCII one of the Kazakh Cyrillic name, as English-language usage spells Kazakhstan's
places (BGN/PCGN-style with its diacritics dropped: қ→k, ғ→g, ң→n, ө→o, ұ/ү→u, і→i, ы→y, ж→zh, ш→sh, х/һ→kh/h,
й→y). Not the 2021 Kazakh Latin alphabet (Talğar, Kökpektı): that alphabet is adopted but not yet in official use,
and English readers, maps and search expect "Talgar". Any reader can still type the name with a plain keyboard.
"""
from __future__ import annotations

import re

#: The oblasts and cities of republican significance: their established English names (2022 division).
TOP = {
    "100000000": "Abai Region", "110000000": "Akmola Region", "150000000": "Aktobe Region",
    "190000000": "Almaty Region", "230000000": "Atyrau Region", "270000000": "West Kazakhstan Region",
    "310000000": "Zhambyl Region", "330000000": "Jetisu Region", "350000000": "Karaganda Region",
    "390000000": "Kostanay Region", "430000000": "Kyzylorda Region", "470000000": "Mangystau Region",
    "550000000": "Pavlodar Region", "590000000": "North Kazakhstan Region", "610000000": "Turkistan Region",
    "620000000": "Ulytau Region", "630000000": "East Kazakhstan Region",
    "710000000": "Astana", "750000000": "Almaty", "790000000": "Shymkent",
}

#: Units whose established English name is not the romanised Kazakh one (mostly the Russian-era spelling kept in
#: English: Karaganda, Balkhash, Baikonur).
SPELLED = {
    "111800000": "Stepnogorsk City", "351000000": "Karaganda City", "351600000": "Balkhash City",
    "392000000": "Lisakovsk City", "392400000": "Rudny City", "431900000": "Baikonur City",
    "596600000": "Gabit Musrepov District", "622000000": "Satbayev City", "193600000": "Balkhash District",
    "711410000": "Baikonur District", "791310000": "Al-Farabi District", "434800000": "Syrdarya District",
    "396400000": "Beimbet Mailin District", "196600000": "Uygur District", "194000000": "Enbekshikazakh District",
    "354000000": "Bukhar-Zhyrau District",
}

_LETTERS = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "kh", "һ": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "і": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}

#: What the Kazakh name's last word says the unit is, in English.
_KINDS = ((r"\s*атын\.\s*ауданы$", " District"), (r"\s+ауданы$", " District"), (r"\s+Қ\.Ә\.$", " City"),
          (r"\s+Г\.А\.$", " City"), (r"\s+облысы$", " Region"), (r"\s+қ\.$", ""))


def romanise(text: str) -> str:
    """Kazakh Cyrillic in plain Latin letters (the rule above), each word capitalised as a name: «Біржан сал» →
    "Birzhan Sal"."""
    out = "".join(_LETTERS.get(ch.lower(), ch) if ch.lower() in _LETTERS else ch for ch in text)
    return re.sub(r"[^\W\d_]+", lambda m: m.group(0)[:1].upper() + m.group(0)[1:], out)


def english_name(code: str, name_kk: str, name_ru: str) -> str:
    """The unit's English name: written out for the top level and a few cities, else romanised from Kazakh."""
    if code in TOP:
        return TOP[code]
    if code in SPELLED:
        return SPELLED[code]
    base, kind = (name_kk or name_ru).strip(), ""
    for pattern, word in _KINDS:
        if re.search(pattern, base):
            base, kind = re.sub(pattern, "", base), word
            break
    return romanise(base) + kind
