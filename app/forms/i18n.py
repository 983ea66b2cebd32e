"""A form's words in Kazakh and English, kept inside the form next to the Russian ones (``x-i18n``).

Why inside the form: a process owner edits one file in the forms editor and sees every language of
a field together; a new field cannot ship without its translations unnoticed (``missing_words``);
and a translation can never change what is validated, because only worded keywords are replaced —
property names, ``const``/``enum`` values and validation keywords are the same in every language.
The format is described with an example in ``forms/README.md``. Pure functions, no Flask: callers
pass the language (``app.i18n.current_language()`` on pages, ``Accept-Language`` in the API).
"""
from __future__ import annotations

import copy
from typing import Any, Iterator

from app.i18n import DEFAULT, LANGUAGES, normalize

__all__ = ["KEYWORD", "TRANSLATED", "WORDED", "check_i18n", "localize", "missing_words", "word", "word_rows"]

KEYWORD = "x-i18n"
#: Languages whose words live under ``x-i18n``; Russian stays in the schema's own keywords.
TRANSLATED = tuple(lang for lang in LANGUAGES if lang != DEFAULT)
#: Keywords whose string value people read.
WORDED = ("title", "description", "x-placeholder", "x-help", "x-errorMessage", "x-addLabel")
#: Keywords holding a list of enum labels; their translation goes under ``enumNames``.
LISTED = ("enumNames", "x-enumNames")
_ENUM_NAMES = "enumNames"
#: Keywords whose value is data, not a subschema: never searched for words.
_DATA = {"const", "enum", "default", "examples", "required", "dependentRequired", KEYWORD}


def _pointer(parts: tuple) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


#: Keywords whose value maps names to subschemas: every key there is a name, not a keyword.
_MAPS = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}


def _nodes(node: Any, parts: tuple = (), is_map: bool = False) -> Iterator[tuple[tuple, dict]]:
    """Every subschema of a schema with its path (a property may be called ``description`` or ``enum``)."""
    if isinstance(node, dict):
        if not is_map:
            yield parts, node
        for key, value in node.items():
            if not is_map and (key in _DATA or key.startswith("x-")):
                continue
            yield from _nodes(value, parts + (key,), not is_map and key in _MAPS)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _nodes(value, parts + (i,))


def _words(node: dict) -> list[str]:
    """The worded keywords a node carries in Russian (``enumNames`` stands for either list keyword)."""
    found = [k for k in WORDED if isinstance(node.get(k), str) and node[k].strip()]
    if any(isinstance(node.get(k), list) and node[k] for k in LISTED):
        found.append(_ENUM_NAMES)
    return found


def _names_key(node: dict) -> str | None:
    return next((k for k in LISTED if isinstance(node.get(k), list)), None)


def localize(schema: Any, lang: str | None) -> Any:
    """A deep copy of ``schema`` worded in ``lang`` (Russian where ``lang`` lacks a word), without ``x-i18n``."""
    lang = normalize(lang)
    out = copy.deepcopy(schema)
    for _, node in list(_nodes(out)):
        words = node.pop(KEYWORD, None)
        if lang == DEFAULT or not isinstance(words, dict) or not isinstance(words.get(lang), dict):
            continue
        for key, word in words[lang].items():
            if key == _ENUM_NAMES:
                names_key = _names_key(node)
                if names_key and isinstance(word, list):
                    node[names_key] = [w if isinstance(w, str) and w.strip() else ru
                                       for ru, w in zip(node[names_key], word + [None] * len(node[names_key]))]
            elif key in WORDED and isinstance(node.get(key), str) and isinstance(word, str) and word.strip():
                node[key] = word
    return out


def word(node: dict, key: str, lang: str | None) -> Any:
    """One node's ``key`` (``title``...) in ``lang``, Russian when it lacks one: for a label, without copying
    the whole form as :func:`localize` does."""
    ru = node.get(key)
    mine = (node.get(KEYWORD) or {}).get(normalize(lang)) if isinstance(node.get(KEYWORD), dict) else None
    theirs = mine.get(key) if isinstance(mine, dict) else None
    return theirs if isinstance(ru, str) and isinstance(theirs, str) and theirs.strip() else ru


def word_rows(schema: Any) -> list[dict]:
    """Every Russian word of a form with its kk/en twins ("" when missing), one row per word (an enum label
    per row, with its ``index``): what the forms editor lays out for an owner to translate."""
    rows = []
    for parts, node in _nodes(schema):
        given = node.get(KEYWORD) if isinstance(node.get(KEYWORD), dict) else {}
        theirs = {lang: given.get(lang) if isinstance(given.get(lang), dict) else {} for lang in TRANSLATED}
        for key in _words(node):
            base = {"pointer": _pointer(parts), "key": key}
            if key == _ENUM_NAMES:
                for i, ru in enumerate(node[_names_key(node)]):
                    rows.append({**base, "index": i, "ru": str(ru), **{
                        lang: (w[i] if isinstance(w := words.get(key), list) and i < len(w) and isinstance(w[i], str)
                               else "") for lang, words in theirs.items()}})
            else:
                rows.append({**base, "index": None, "ru": node[key], **{
                    lang: (words.get(key) if isinstance(words.get(key), str) else "")
                    for lang, words in theirs.items()}})
    return rows


def missing_words(schema: Any) -> list[tuple[str, str, str]]:
    """``(json_pointer, lang, keyword)`` for every Russian word lacking its twin in a translated language."""
    missing = []
    for parts, node in _nodes(schema):
        words = _words(node)
        if not words:
            continue
        given = node.get(KEYWORD) if isinstance(node.get(KEYWORD), dict) else {}
        for lang in TRANSLATED:
            mine = given.get(lang) if isinstance(given.get(lang), dict) else {}
            for key in words:
                word = mine.get(key)
                if key == _ENUM_NAMES:
                    ru = node[_names_key(node)]
                    ok = isinstance(word, list) and len(word) == len(ru) and all(
                        isinstance(w, str) and w.strip() for w in word)
                else:
                    ok = isinstance(word, str) and bool(word.strip())
                if not ok:
                    missing.append((_pointer(parts), lang, key))
    return missing


def check_i18n(schema: Any) -> list[tuple[str, str]]:
    """``(json_pointer, reason)`` for every malformed ``x-i18n``: what the forms editor refuses to save.

    Refused: a language other than kk/en, a keyword that is not a worded one, a word that is not a
    string (or, for ``enumNames``, a list of strings as long as the Russian list), and a word for a
    keyword the node has no Russian text for (it would show in one language only).
    """
    problems = []
    for parts, node in _nodes(schema):
        if KEYWORD not in node:
            continue
        at = parts + (KEYWORD,)
        given = node[KEYWORD]
        if not isinstance(given, dict):
            problems.append((_pointer(at), "must be an object keyed by language (kk, en)"))
            continue
        present = _words(node)
        for lang, mine in given.items():
            if lang not in TRANSLATED:
                problems.append((_pointer(at + (lang,)),
                                 f"unknown language {lang!r}: only {', '.join(TRANSLATED)} (Russian stays in place)"))
                continue
            if not isinstance(mine, dict):
                problems.append((_pointer(at + (lang,)), "must be an object of words"))
                continue
            for key, word in mine.items():
                where = _pointer(at + (lang, key))
                if key not in WORDED and key != _ENUM_NAMES:
                    problems.append((where, f"{key!r} is not a worded keyword ({', '.join(WORDED + (_ENUM_NAMES,))})"))
                elif key not in present:
                    problems.append((where, f"the node has no Russian {key!r} to translate"))
                elif key == _ENUM_NAMES:
                    ru = node[_names_key(node)]
                    if not isinstance(word, list) or not all(isinstance(w, str) for w in word):
                        problems.append((where, "must be a list of strings"))
                    elif len(word) != len(ru):
                        problems.append((where, f"must list {len(ru)} names, one per enum value"))
                elif not isinstance(word, str):
                    problems.append((where, "must be a string"))
    return problems
