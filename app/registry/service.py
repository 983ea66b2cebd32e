"""The process model registry: validate a diagram and its forms, store immutable versions.

Running instances stay on the version they started with, so a version is never changed;
deploying identical content again returns the version that already holds it.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import make_transient_to_detached

from .. import untrusted_json
from ..agencies import agency_for_lane
from ..engine import CompiledProcess, ModelInvalid, Problem, Runner, compile_process, spec_from_json
from ..engine.encoding import as_utf8
from ..errors import Invalid, NotFound
from ..forms.validation import check_schema, schema_fault
from ..remembered import Remembered
from .models import ProcessVersion

FORM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}\.json$")
FORM_MAX_DEPTH = 64       # a schema nests two levels per nested object; staff forms use a few
USER_TASK_TYPES = {"userTask", "manualTask"}


def _problems(problems: list[Problem]) -> Invalid:
    return Invalid("diagram_invalid", [p.to_dict() for p in problems])


def validate(*, bpmn: bytes, forms: dict[str, bytes], forms_dir: str) -> tuple[CompiledProcess, dict, dict]:
    """All deploy checks; returns the compiled process, its forms and its lane→agency map."""
    try:
        compiled = compile_process(bpmn)
    except ModelInvalid as exc:
        raise _problems(exc.problems) from None
    problems: list[Problem] = []
    lanes: dict[str, str] = {}
    for lane_id, lane in compiled.lanes:
        code = agency_for_lane(lane)
        if code is None:
            problems.append(Problem.coded(lane_id, "lane_not_agency", lane=lane))
        else:
            lanes[lane] = code
    resolved: dict[str, dict] = {}
    for el in compiled.elements:
        if el.type in USER_TASK_TYPES:
            if el.lane is None:
                problems.append(Problem.coded(el.id, "user_task_outside_lane"))
        for name in (el.form, el.ui_form):
            if not name or name in resolved:
                continue
            schema, refusal = _load_form(name, forms, forms_dir)
            if refusal:
                problems.append(Problem.coded(el.id, refusal[0], **refusal[1]))
            else:
                resolved[name] = schema
    if problems:
        raise _problems(problems)
    return compiled, resolved, lanes


def _load_form(name: str, uploaded: dict[str, bytes], forms_dir: str) -> tuple[dict | None, tuple[str, dict] | None]:
    """The form's schema, or why not as (code, params) of app/problems.py."""
    if not FORM_NAME.match(name):
        return None, ("form_name_refused", {"name": name})
    raw = uploaded.get(name)
    if raw is None:
        path = Path(forms_dir) / name
        if not path.is_file():
            return None, ("form_missing", {"name": name})
        raw = path.read_bytes()
    try:
        schema = untrusted_json.loads(raw, max_depth=FORM_MAX_DEPTH)
    except untrusted_json.Refused as exc:
        if exc.field == "body":
            return None, ("form_json_invalid", {"name": name, "reason": str(exc)})
        return None, ("form_json_invalid_at", {"name": name, "field": exc.field, "reason": str(exc)})
    if not isinstance(schema, dict):
        return None, ("form_not_object", {"name": name})
    if not name.endswith(".uischema.json"):
        errors = check_schema(schema)
        if errors:
            coded = schema_fault(schema)       # the usual faults worded per language; jsonschema's words kept as reason
            if coded:
                pointer, code, params = coded
                return None, ("form_not_schema_at", {"name": name, "field": pointer, "reason": str(errors[0]),
                                                     "reason_code": code, "reason_params": params})
            return None, ("form_not_schema", {"name": name, "reason": str(errors[0])})
    return schema, None


def content_hash(bpmn: bytes, forms: dict[str, dict]) -> str:
    digest = hashlib.sha256(bpmn)
    for name in sorted(forms):
        digest.update(name.encode())
        digest.update(json.dumps(forms[name], sort_keys=True).encode())
    return digest.hexdigest()


def deploy(session, *, bpmn: bytes, forms: dict[str, bytes], forms_dir: str,
           deployed_by: str | None) -> tuple[ProcessVersion, bool]:
    """Store a new version (or find the identical one); returns (version, created)."""
    try:
        bpmn = as_utf8(bpmn)      # stored as text and hashed: one encoding, whatever the author's tool wrote
    except ModelInvalid as exc:
        raise _problems(exc.problems) from None
    compiled, resolved, lanes = validate(bpmn=bpmn, forms=forms, forms_dir=forms_dir)
    sha = content_hash(bpmn, resolved)
    existing = session.scalar(select(ProcessVersion).where(
        ProcessVersion.process_id == compiled.process_id, ProcessVersion.sha256 == sha))
    if existing:
        return existing, False
    latest = session.scalar(select(func.max(ProcessVersion.version)).where(
        ProcessVersion.process_id == compiled.process_id)) or 0
    start_agencies = sorted({lanes[l] for l in compiled.start_lanes if l in lanes})
    version = ProcessVersion(
        process_id=compiled.process_id, version=latest + 1, name=compiled.name, sha256=sha,
        bpmn_xml=bpmn.decode("utf-8"), forms=resolved, spec_json=compiled.spec_json,
        elements=[e.to_dict() for e in compiled.elements], lanes=lanes,
        message_starts=compiled.message_starts, start_agencies=start_agencies, deployed_by=deployed_by)
    session.add(version)
    session.commit()
    return version, True


def latest_version(session, process_id: str) -> ProcessVersion:
    version = session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                             .order_by(ProcessVersion.version.desc()).limit(1))
    if version is None:
        raise NotFound("process_not_deployed", {"process_id": process_id})
    return version


def latest_versions(session) -> list[ProcessVersion]:
    newest = select(ProcessVersion.process_id, func.max(ProcessVersion.version).label("v")) \
        .group_by(ProcessVersion.process_id).subquery()
    return list(session.scalars(select(ProcessVersion).join(
        newest, (ProcessVersion.process_id == newest.c.process_id) & (ProcessVersion.version == newest.c.v))
        .order_by(ProcessVersion.process_id)))


#: how long another process's deploy may go unseen by the message router (the deploying process sees it at once)
STARTS_FRESH_SECONDS = 2.0
_starts = Remembered(ProcessVersion)


def processes_starting_on(session, message_name: str) -> list[ProcessVersion]:
    """The newest version of each process that a message of this name starts. Asked for every message routed
    (a grouped query of every version each time, about a tenth of routing a notice), while the answer changes
    only at a deploy: remembered, as ids and hashes, and the rows taken from ``version_of``."""
    starts = _starts.read(session, "message_starts", STARTS_FRESH_SECONDS, lambda: tuple(
        (v.id, v.sha256, frozenset(v.message_starts or ())) for v in latest_versions(session)))
    return [version_of(session, version_id, sha256) for version_id, sha256, names in starts if message_name in names]


_SPECS: dict[tuple[str, str], tuple] = {}
_VERSIONS: dict[tuple[int, str], ProcessVersion] = {}
_VERSION_COLUMNS = ("id", "process_id", "version", "name", "sha256", "lanes", "message_starts", "start_agencies",
                    "deployed_by", "deployed_at")


def version_of(session, version_id: int, sha256: str) -> ProcessVersion:
    """The version row an instance runs on, read from the database once per process and then merged into
    ``session`` without a query: a version never changes once deployed, and every step of every instance
    needs it. Keyed by id *and* content hash, so a row id reused after a wipe (SQLite) is never mistaken."""
    cached = _VERSIONS.get((version_id, sha256))
    if cached is None:
        row = session.get(ProcessVersion, version_id)
        if row is None or row.sha256 != sha256:
            return row
        cached = ProcessVersion(**{c: getattr(row, c) for c in _VERSION_COLUMNS})
        make_transient_to_detached(cached)      # the large deferred columns load on first use, if ever
        _VERSIONS[(version_id, sha256)] = cached
    return session.merge(cached, load=False)


def runner_for(version: ProcessVersion, functions) -> Runner:
    # Versions are immutable, so a spec restored once serves every instance of it, in every thread.
    key = (version.process_id, version.sha256)
    if key not in _SPECS:
        _SPECS[key] = spec_from_json(version.spec_json)
    spec, subs = _SPECS[key]
    return Runner(spec, subs, functions)
