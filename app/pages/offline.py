"""The service worker and the page it shows when the connection drops (issue 13 §4, field work).

Navigating while offline showed the browser's own error page (in the browser's language, with no word of the drafts
kept on the device). The worker answers a failed navigation with one generic page instead, in the person's language.
It keeps only what is the same for everyone: the static files and that page — never a page of a case or an API
answer (those are ``no-store`` and go to the network or fail), so nothing of a case is on the device for it, and
sign-out's Clear-Site-Data removes the worker and its cache anyway. The cache's name carries a digest of what it
holds, so a deploy that changes a file changes the worker's bytes: the browser installs the new one, which drops the
old cache.

Its own blueprint, outside ``pages``: these answers are the same signed in or out and read no session.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, abort, current_app, make_response, render_template, request, url_for
from flask_babel import force_locale

from ..i18n import DEFAULT, LANGUAGES

offline = Blueprint("offline", __name__)

# Precached: the files every staff page and the offline page load (not the diagram viewer's vendor bundle, which only
# a case page uses and a case page cannot be opened offline anyway). Fonts and icons: the pages have none of their own.
PRECACHE = ("css/*.css", "js/*.js")
_APP = Path(__file__).resolve().parents[1]


def _assets(static: Path) -> list[Path]:
    return sorted(p for pattern in PRECACHE for p in static.glob(pattern) if p.is_file())


@lru_cache(maxsize=8)
def _digest(stamp: tuple) -> str:
    h = hashlib.sha256()
    for path, _mtime, _size in stamp:
        h.update(path.encode())
        h.update(Path(path).read_bytes())
    return h.hexdigest()[:16]


def version(static: Path) -> str:
    """A digest of everything the cache holds or is drawn from (files, the worker, the page, the catalogs); read
    again only when one of them changed on disk (a stat per request, not a hash)."""
    files = [*_assets(static), _APP / "templates" / "sw.js", _APP / "templates" / "offline.html",
             *sorted((_APP / "translations").glob("*/LC_MESSAGES/messages.mo"))]
    return _digest(tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))


def _language() -> str:
    lang = request.args.get("lang")
    return lang if lang in LANGUAGES else DEFAULT


@offline.get("/sw.js")
def service_worker():
    """At the root, so its scope is the whole site (no Service-Worker-Allowed needed); ``?lang=`` picks the
    offline page it keeps (the registering page passes its language: a language switch installs it again)."""
    static = Path(current_app.static_folder)
    lang = _language()
    assets = [url_for("static", filename=p.relative_to(static).as_posix()) for p in _assets(static)]
    body = render_template("sw.js", cache=f"qamqor-static-{version(static)}-{lang}", assets=assets,
                           offline=url_for("offline.offline_page", lang=lang))
    response = make_response(body)
    response.mimetype = "text/javascript"
    return response          # no-store (app/http.py): the browser checks for a new worker on every visit


@offline.get("/offline/<lang>")
def offline_page(lang: str):
    """The page shown instead of one that could not be reached: no name, no case — the same for everyone."""
    if lang not in LANGUAGES:
        abort(404)
    with force_locale(lang):
        return render_template("offline.html", lang=lang)
