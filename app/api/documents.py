"""Documents attached to a case or a task: upload (multipart ``file``), list, download."""
from flask import Response, current_app, request

from ..documents import service as documents
from ..documents.store import Store, store_for
from ..extensions import db
from . import api
from .auth import current_user, require


def store() -> Store:
    return store_for(current_app.config)


def to_dict(doc) -> dict:
    return {"id": doc.id, "case_id": doc.case_id, "task_id": doc.task_id, "instance_id": doc.instance_id,
            "filename": doc.filename, "content_type": doc.content_type, "size": doc.size, "sha256": doc.sha256,
            "uploaded_by": doc.uploaded_by, "uploaded_at": doc.uploaded_at.isoformat()}


def _upload(case_id=None, task_id=None):
    file = request.files.get("file")
    limit = current_app.config["DOCUMENT_MAX_BYTES"]
    data = file.stream.read(limit + 1) if file is not None else None     # checked after who may attach
    doc = documents.attach(db.session, user=current_user(), case_id=case_id, task_id=task_id,
                           filename=file.filename if file is not None else None, data=data, store=store(),
                           max_bytes=limit)
    return to_dict(doc), 201


@api.post("/cases/<case_id>/documents")
@require()
def attach_to_case(case_id):
    return _upload(case_id=case_id)


@api.post("/tasks/<task_id>/documents")
@require()
def attach_to_task(task_id):
    return _upload(task_id=task_id)


@api.get("/cases/<case_id>/documents")
@require()
def list_documents(case_id):
    return {"items": [to_dict(d) for d in documents.case_documents(db.session, user=current_user(), case_id=case_id)]}


def download_response(got) -> Response:
    from urllib.parse import quote
    doc = got.document
    return Response(got.data, mimetype=doc.content_type, headers={
        "Content-Disposition": f"attachment; filename=\"document.{doc.filename.rsplit('.', 1)[-1]}\"; "
                               f"filename*=UTF-8''{quote(doc.filename)}",
        "X-Content-Type-Options": "nosniff", "Cache-Control": "private, no-store",
        "Digest": f"sha-256={doc.sha256}"})


@api.get("/documents/<document_id>")
@require()
def download_document(document_id):
    return download_response(documents.open_document(db.session, user=current_user(), document_id=document_id,
                                                     store=store()))
