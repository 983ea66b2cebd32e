"""The court file as a PDF/A document: what a clerk attaches to a case, archived for decades.

The HTML history (``history.py``) is drawn again by WeasyPrint (a maintained layout engine, over
Debian's Pango) as PDF/A-2u: fonts embedded and every glyph mapped to Unicode, so the text of a
Kazakh or Russian name can be searched and copied out of the archive. The font is DejaVu Sans from
Debian's fonts-dejavu-core (it covers ә ғ қ ң ө ұ ү һ і); ``local()`` lets fontconfig find it elsewhere.

Each event's "who" names the person, their agency and, when the service knows it, their
organisation (its name from the organisations table, in Kazakh for a reader who works in Kazakh).
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..errors import Unavailable
from ..organisations import service as organisations
from ..users.models import User

PDF_VARIANT = "pdf/a-2u"
FONT_FILES = {"normal": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
              "bold": "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"}
SYSTEM_ACTORS = {"system", "worker", "timer"}


@dataclass(frozen=True)
class Person:
    username: str
    full_name: str | None
    agency: str | None
    organisation: str | None


def people(session, usernames) -> dict[str, Person]:
    """The people behind the usernames of a log, in one query; service actors are left out."""
    wanted = {u for u in usernames if u and u not in SYSTEM_ACTORS}
    if not wanted:
        return {}
    users = list(session.scalars(select(User).where(User.username.in_(sorted(wanted)))))
    org_names = organisations.names(session, [u.organisation for u in users])
    return {u.username: Person(u.username, u.full_name, u.agency,
                               org_names.get(u.organisation, u.organisation) if u.organisation else None)
            for u in users}


def documents(session, case_id: str | None, instance_id: str | None = None) -> list:
    """The files attached to the case (or to one of its processes), oldest first: their SHA-256 lets a
    court check that the copy it holds is the one the service stored (the hash is also in the log)."""
    if not case_id:
        return []
    from ..documents.models import Document
    q = select(Document).where(Document.case_id == case_id)
    if instance_id:
        q = q.where(Document.instance_id == instance_id)
    return list(session.scalars(q.order_by(Document.uploaded_at, Document.id)))


def render_pdf(html: str) -> bytes:
    """The PDF/A bytes of the printable page (WeasyPrint is imported here: only this route needs it, and a
    machine without Pango still runs everything else; tools/system-packages.sh installs it)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError):       # WeasyPrint loads Pango when imported
        raise Unavailable("pdf_unavailable") from None
    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
