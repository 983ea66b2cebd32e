"""Kazakhstan's administrative-territorial classifier (КАТО), read from the file shipped with the code.

Why in memory and not a table: the classifier is reference data that changes only with a new edition,
which arrives as a new ``kato.csv`` in a release; a table would need a data migration per edition and
could drift from the file. 248 rows (the whole national classifier, ~17,000 rows, would be a few MB)
are read once per process. Cases and organisations store only codes.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .english import english_name

FILE = Path(__file__).with_name("kato.csv")


@dataclass(frozen=True)
class Territory:
    code: str
    parent: str | None
    level: int
    name_ru: str
    name_kk: str
    name_en: str

    def name(self, lang: str | None = None) -> str:
        """The unit's name in ``lang`` (the request's language when omitted); Russian where a name is missing."""
        from ..i18n import pick
        return pick({"ru": self.name_ru, "kk": self.name_kk, "en": self.name_en}, lang) or self.name_ru


@cache
def _all() -> dict[str, Territory]:
    with FILE.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {r["code"]: Territory(r["code"], r["parent"] or None, int(r["level"]), r["name_ru"], r["name_kk"],
                                     english_name(r["code"], r["name_kk"], r["name_ru"]))
                for r in rows}


@cache
def _children() -> dict[str | None, tuple[Territory, ...]]:
    out: dict[str | None, list[Territory]] = {}
    for t in _all().values():
        out.setdefault(t.parent, []).append(t)
    return {k: tuple(sorted(v, key=lambda t: t.code)) for k, v in out.items()}


def get(code: str | None) -> Territory | None:
    return _all().get(code) if isinstance(code, str) else None


def children(parent: str | None) -> tuple[Territory, ...]:
    """The units directly under ``parent`` (None: the oblasts and cities of republican significance)."""
    return _children().get(parent or None, ())


def lineage(code: str | None) -> list[str]:
    """The code and its ancestors, nearest first; empty for a code the classifier lacks."""
    out, t = [], get(code)
    while t is not None:
        out.append(t.code)
        t = get(t.parent)
    return out


def covers(serving: str, code: str | None) -> bool:
    """Whether serving the territory ``serving`` covers ``code`` (itself or anything under it)."""
    return serving in lineage(code)


def full_name(code: str | None, lang: str | None = None) -> str | None:
    """"Талгарский район, Алматинская область": the unit and its ancestors, for people to read, in ``lang`` (the
    request's language when omitted): "Talgar District, Almaty Region" in English."""
    from ..i18n import current_language
    lang = lang or current_language()
    parts = [get(c).name(lang) for c in lineage(code)]
    return ", ".join(parts) if parts else None


def within(code: str) -> list[str]:
    """The code and every unit under it (serving or overseeing ``code`` covers them all)."""
    out, todo = [], [code]
    while todo:
        current = todo.pop()
        out.append(current)
        todo += [t.code for t in children(current)]
    return out


def every() -> list[Territory]:
    return sorted(_all().values(), key=lambda t: t.code)
