"""Alphabetical order as Kazakh and Russian readers expect it, for names and organisations shown in lists.

Python's ``sorted`` orders by code point, which puts every Kazakh letter (ә ғ қ ң ө ұ ү һ і: U+04xx) after
я. ICU's collation for ``kk`` places each after its neighbour — а ә б в г ғ д е ё ж з и й к қ л м н ң о ө
п р с т у ұ ү ф х һ ц ч ш щ ъ ы і ь э ю я — and ``ru`` is the Russian order (Kazakh letters beside their
Russian look-alikes); both ignore case. ICU comes from the ``pyicu-wheels`` package, which ships the ICU
library inside the wheel, so no system package is needed.
"""
from __future__ import annotations

from functools import cache
from typing import Callable, Iterable, TypeVar

import icu

from .i18n import current_language, normalize

T = TypeVar("T")


@cache
def _collator(lang: str):
    collator = icu.Collator.createInstance(icu.Locale(lang))
    collator.setStrength(icu.Collator.SECONDARY)          # letters and accents count, case does not
    return collator


def sort_key(lang: str | None = None) -> Callable[[str | None], bytes]:
    """A ``key=`` for ``sorted`` in ``lang`` (the request's language when omitted)."""
    collator = _collator(normalize(lang or current_language()))
    return lambda text: collator.getSortKey(text or "")


def sorted_by(items: Iterable[T], text: Callable[[T], str | None], lang: str | None = None) -> list[T]:
    """``items`` in the alphabetical order of ``text(item)`` for ``lang``."""
    key = sort_key(lang)
    return sorted(items, key=lambda item: key(text(item)))
