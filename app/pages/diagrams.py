"""A deployed version's diagram as a reader's viewer draws it: names in the reader's language.

The URL is the same in every language, so the response may not be reused across a language switch:
it is revalidated each time, and the ETag (content hash and language) spares the body when nothing
changed.
"""
from __future__ import annotations

from flask import Response, request

from ..i18n import current_language
from ..registry.words import diagram_xml


def localized_diagram(version) -> Response:
    lang = current_language()
    response = Response(diagram_xml(version, lang), mimetype="application/xml",
                        headers={"Cache-Control": "private, no-cache", "Content-Language": lang})
    response.set_etag(f"{version.sha256}-{lang}")
    return response.make_conditional(request)
