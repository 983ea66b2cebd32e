"""Attaching a file to a case or a task, listing a case's files, and handing one out.

Who may: the case access rule (``_may_see_case``, the one rule the case page uses) for reading; for
attaching also a working role (staff, supervisor) — auditors read, they do not add evidence. Every
download is written to the access log. The file's SHA-256 goes into the case instance's hash-chained
event log as a ``document_attached`` note (no state hash: re-execution passes over it), so a file swapped
in the store no longer matches the log.

What is stored is what was cleaned: a photo re-encoded (images.py), a DOCX without its authors and
metadata (office.py); the hash, the size and the download are of those bytes. The file is written to the
store before the row and its event are committed, so a store that fails leaves no row; a commit that fails
deletes the file it just wrote (if that delete fails too, an object no row names is left and logged by key:
unreachable garbage, never a row without its file).
"""
from __future__ import annotations

import hashlib
import logging
import uuid
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from ..errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from ..problems import field
from ..events import service as events
from ..instances.models import Case, ProcessInstance, Task
from ..timeutil import utcnow
from ..users.models import User
from . import office
from .images import NotAnImage, reencode
from .models import Document
from .sniff import DOCX, KINDS, sniff
from .store import Missing, Store

log = logging.getLogger(__name__)


class TooLarge(DomainError):
    status, title = 413, "Content too large"


@dataclass
class Download:
    document: Document
    data: bytes


def _may_see_case(session, user: User, case_id: str) -> bool:
    """The case access rule — one call, so that it follows the rule wherever it lives."""
    from ..instances.inbox import may_see_case
    return may_see_case(session, user, case_id)


def _clean_name(name: str | None, content_type: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*').strip(" .")[:200]
    ext = KINDS[content_type]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    return f"{stem or 'document'}.{ext}"


def attach(session, *, user: User, case_id: str | None, task_id: str | None, filename: str | None,
           data: bytes | None, store: Store, max_bytes: int) -> Document:
    """Store one file and record it (commits)."""
    task = None
    if task_id:
        task = session.get(Task, str(task_id))
        if task is None or (case_id and task.case_id != case_id):
            raise NotFound("task_not_in_case", {"task_id": task_id})
        case_id = task.case_id
    case = session.get(Case, str(case_id)) if case_id else None
    if case is None:
        raise NotFound("case_not_found", {"case_id": case_id})
    from ..access import may_attach           # the case rule's one home (imported late, as _may_see_case)
    if not may_attach(session, user, case.id):
        raise Forbidden("attach_forbidden")
    if data is None:
        raise Invalid("file_required", [field("file", "send_file")])
    if len(data) > max_bytes:
        raise TooLarge(f"the file is larger than {max_bytes} bytes")
    if not data:
        raise Invalid("file_empty", [field("file", "file_is_empty")])
    content_type = sniff(data)
    if content_type is None and office.is_encrypted_office(data):
        raise Invalid("docx_refused", [field("file", "docx_encrypted", name=_clean_name(filename, DOCX), part="")])
    if content_type is None:
        raise Invalid("file_unsupported", [field("file", "file_types")])
    if content_type == DOCX:
        try:
            data = office.strip(data)
        except office.Refused as refused:
            raise Invalid("docx_refused", [field(
                "file", refused.code, name=_clean_name(filename, DOCX), part=refused.part or "ZIP",
                mb=office.MAX_UNPACKED // 1048576, n=office.MAX_ENTRIES)]) from None
    if content_type.startswith("image/"):
        try:
            data = reencode(data, content_type)
        except NotAnImage:
            raise Invalid("image_damaged", [field("file", "image_unreadable")]) from None
    instance = session.get(ProcessInstance, task.instance_id) if task else session.scalar(
        select(ProcessInstance).where(ProcessInstance.case_id == case.id).order_by(ProcessInstance.created_at).limit(1))
    if instance is None:
        raise NotFound("case_no_process")
    digest = hashlib.sha256(data).hexdigest()
    key = store.put(data)           # first: a store that fails raises here, before any row exists
    try:
        doc = Document(id=str(uuid.uuid4()), case_id=case.id, instance_id=instance.id,
                       task_id=task.id if task else None, filename=_clean_name(filename, content_type),
                       content_type=content_type, size=len(data), sha256=digest, storage_key=key,
                       uploaded_by=user.username, uploaded_at=utcnow())
        session.add(doc)
        # the name is left out of the log on purpose: people name files after the child
        events.append(session, instance, type="document_attached", actor=user.username,
                      task_id=task.id if task else None, bpmn_id=task.bpmn_id if task else None,
                      data={"document_id": doc.id, "sha256": digest, "size": len(data),
                            "content_type": content_type},
                      at=doc.uploaded_at)
        session.commit()
    except StaleDataError:
        session.rollback()
        _forget(store, key)
        raise Conflict("case_moved_on") from None
    except Exception:
        session.rollback()
        _forget(store, key)
        raise
    return doc


def _forget(store: Store, key: str) -> None:
    """The file of a row that was not committed; a store that fails now leaves it, named in the log."""
    try:
        store.delete(key)
    except Exception:
        log.warning("document %s was stored but its row was not committed, and deleting it failed", key)


def case_documents(session, *, user: User, case_id: str) -> list[Document]:
    if not _may_see_case(session, user, case_id):
        raise Forbidden("case_not_yours")
    return list(session.scalars(select(Document).where(Document.case_id == case_id)
                                .order_by(Document.uploaded_at, Document.id)))


def open_document(session, *, user: User, document_id: str, store: Store) -> Download:
    """The file, after the case access rule, recorded in the access log (which commits)."""
    from ..audit.access import record_access
    doc = session.get(Document, str(document_id))
    if doc is None:
        raise NotFound("document_not_found", {"document_id": document_id})
    if not _may_see_case(session, user, doc.case_id):
        raise Forbidden("case_not_yours")
    try:
        data = store.get(doc.storage_key)
    except Missing:
        raise Conflict("document_file_missing") from None
    if hashlib.sha256(data).hexdigest() != doc.sha256:
        raise Conflict("document_hash_mismatch")
    record_access(session, user=user, kind="document", object_id=doc.id, case_id=doc.case_id)
    return Download(doc, data)
