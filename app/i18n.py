"""The three languages of the service, and the one rule for which of them a reader gets.

Kazakh is the state language, Russian the default the Guide is written in, English for integrators
and reviewers. Domain code that words something for a reader takes a ``lang`` argument; only this
module asks Flask which language the current request wants, so domain modules stay free of Flask.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Mapping

LANGUAGES = ("ru", "kk", "en")
DEFAULT = "ru"


def normalize(lang: str | None) -> str:
    """A supported language code from a tag such as ``kk-KZ`` or ``en_GB``; the default otherwise."""
    if not lang:
        return DEFAULT
    base = str(lang).replace("_", "-").split("-")[0].strip().lower()
    return base if base in LANGUAGES else DEFAULT


def asked_language(accept_languages) -> str | None:
    """The first of our languages an ``Accept-Language`` asks for (by quality, then in the caller's order);
    None when the header is absent, asks for none of ours, or says ``*`` (any) before naming one of ours.
    ``accept_languages`` is Werkzeug's parsed header (``request.accept_languages``)."""
    for value, quality in accept_languages or ():
        if quality <= 0:
            continue
        if value == "*":
            return None
        tag = value.replace("_", "-").split("-")[0].lower()
        if tag in LANGUAGES:
            return tag
    return None


def api_language(accept_languages, own: str | None, fallback: str = DEFAULT) -> str:
    """The one rule for an API answer's words: what the caller asks for in Accept-Language, else the user's own
    chosen language, else ``fallback`` (Russian for content such as forms and steps; problem texts pass English,
    so integrations written against English details keep working)."""
    return asked_language(accept_languages) or (own if own in LANGUAGES else None) or fallback


def current_language() -> str:
    """The language of the request being served (its user's choice, the session, or Accept-Language);
    the default outside a request."""
    try:
        from flask import has_request_context
        if not has_request_context():
            return DEFAULT
        from flask_babel import get_locale
        return normalize(str(get_locale()))
    except Exception:                       # no Babel configured (plain domain tests)
        return DEFAULT


def pick(words: Mapping[str, str] | None, lang: str | None = None, fallback: str | None = None) -> str | None:
    """``words`` in ``lang`` (the request's language when omitted), else Russian, else ``fallback``."""
    lang = normalize(lang or current_language())
    if words:
        for candidate in (lang, DEFAULT):
            if words.get(candidate):
                return words[candidate]
    return fallback


_CATALOGS = Path(__file__).with_name("translations")


@lru_cache(maxsize=None)
def _translations(lang: str):
    from babel.support import Translations
    return Translations.load(str(_CATALOGS), [lang])


def N_(message: str) -> str:
    """Marks an English msgid for the catalogs where it is defined (a table of texts) and worded later."""
    return message


def gettext_in(lang: str | None, message: str, **params) -> str:
    """``message`` (an English msgid of app/translations) worded in ``lang``, for domain code that words
    something for one reader outside a request, e.g. an e-mail in its recipient's language. English is the
    msgid itself; ``%(name)s`` placeholders are filled from ``params``."""
    code = normalize(lang)
    text = message if code == "en" else _translations(code).gettext(message)
    return text % params if params else text
