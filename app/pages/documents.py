"""The case page's documents section: attach a file, download one (the API's domain calls, session-signed)."""
from __future__ import annotations

from flask import current_app, flash, g, redirect, request, url_for
from flask_babel import gettext as _

from ..api.documents import download_response, store
from ..documents import service as documents
from ..documents.store import StoreFailed
from ..errors import Invalid
from ..extensions import db
from ..i18n import current_language
from ..problems import reword_errors
from . import login_required, pages


@pages.app_context_processor
def _documents_of():
    def case_documents(case_id: str):
        """The case's files for the section (the case page already checked the viewer may see the case)."""
        return documents.case_documents(db.session, user=g.user, case_id=case_id)
    return {"case_documents": case_documents}


@pages.post("/cases/<case_id>/documents")
@login_required
def attach_document(case_id):
    file = request.files.get("file")
    back = redirect(url_for("pages.case", case_id=case_id) + "#documents-title")
    if file is None or not file.filename:
        flash(_("File: choose a file to attach."), "error")
        return back
    limit = current_app.config["DOCUMENT_MAX_BYTES"]
    try:
        doc = documents.attach(db.session, user=g.user, case_id=case_id, task_id=request.form.get("task_id") or None,
                               filename=file.filename, data=file.stream.read(limit + 1), store=store(),
                               max_bytes=limit)
    except documents.TooLarge:
        db.session.rollback()
        flash(_("File: larger than %(mb)s MB.", mb=round(limit / 1048576, 1)), "error")
        return back
    except Invalid as exc:
        db.session.rollback()
        said = [e for e in reword_errors(exc.errors, current_language()) if str(e.get("code", "")).startswith("docx_")]
        flash(said[0]["message"] if said else _("File: only PDF, JPEG, PNG or DOCX documents can be attached."),
              "error")
        return back
    except StoreFailed:
        db.session.rollback()
        flash(_("The document store cannot be reached; nothing was saved. Try again later."), "error")
        return back
    flash(_("Document %(name)s attached.", name=doc.filename), "success")
    return back


@pages.get("/documents/<document_id>")
@login_required
def download_document(document_id):
    return download_response(documents.open_document(db.session, user=g.user, document_id=document_id,
                                                     store=store()))
