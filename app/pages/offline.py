"""The service worker and the page it shows when the connection drops (issue 13 §4, field work).

Navigating while offline showed the browser's own error page (in the browser's language, with no word of the drafts
kept on the device). The worker answers a failed navigation with one generic page instead, in the person's language.
It keeps only what is the same for everyone: the static files and that page — never a page of a case or an API
answer (those are ``no-store`` and go to the network or fail), so nothing of a case is on the device for it, and
sign-out's Clear-Site-Data removes the worker and its cache anyway.

One worker at one address, whatever the language: the first version took the offline page's language from
``/sw.js?lang=``, so a language switch registered a new script, which installed, skipped waiting and claimed the
open page while the test browser was navigating it (a page.goto hung 15 s in CI, reverted in 5f8a91f). Now the
offline page carries all three languages and shows the one the last signed-in page recorded on the device
(offline.js), so a language switch changes nothing of the worker. Only a deploy does: the cache's name carries a
digest of what it holds (files, the worker, the page, the catalogs), so a changed file changes the worker's bytes and
the browser installs the new one, which drops the old cache when it takes over.

Its own blueprint, outside ``pages``: these answers are the same signed in or out and read no session.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, current_app, make_response, render_template, url_for
from flask_babel import force_locale, gettext

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


@offline.get("/sw.js")
def service_worker():
    """At the root, so its scope is the whole site (no Service-Worker-Allowed needed). No parameter: the same
    address and the same bytes for everyone until a deploy changes what it keeps."""
    static = Path(current_app.static_folder)
    assets = [url_for("static", filename=p.relative_to(static).as_posix()) for p in _assets(static)]
    body = render_template("sw.js", cache=f"qamqor-offline-{version(static)}", assets=assets,
                           offline=url_for("offline.offline_page"))
    response = make_response(body)
    response.mimetype = "text/javascript"
    return response          # no-store (app/http.py): the browser checks for a new worker on every visit


def _words(lang: str) -> dict[str, str]:
    with force_locale(lang):
        return {"title": gettext("No connection"),
                "tagline": gettext("Interagency child protection"),
                "status": gettext("No connection to the server: this page cannot be opened now."),
                "drafts": gettext("A form you have open keeps what you type on this device and sends it as a draft "
                                  "when the connection returns."),
                "retry": gettext("Try again")}


@offline.get("/offline")
def offline_page():
    """The page shown instead of one that could not be reached: no name, no case — the same for everyone. Russian
    unless the device recorded another language (offline.js shows that one's block)."""
    return render_template("offline.html", default=DEFAULT,
                           languages=[(lang, _words(lang)) for lang in LANGUAGES])
