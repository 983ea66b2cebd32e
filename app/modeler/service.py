"""What process owners do with versions: list them, open one, compare two, move cases between them.

Deploying and validating are the registry's (``app.registry.service``); this module only reads
versions and, for migration, runs the engine's safety check and persists the move as one step
of the instance — with an ``instance_migrated`` event in its log — through ``apply_step``.
"""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import func, select

from ..agencies import agency_for_lane
from ..engine.migration import MigrationRefused, migrate
from ..errors import Conflict, Forbidden, NotFound
from ..problems import field
from ..instances.environment import Settings, engine_functions
from ..instances.models import ProcessInstance, Task
from ..instances.service import conflict_guard
from ..instances.steps import apply_step
from ..registry.models import ProcessVersion
from ..registry.service import FORM_NAME, runner_for
from ..users.models import User
from .diff import diff_versions

RUNNING = ("running", "waiting", "error")
OWNERS = ("process_owner", "admin")


def versions_of(session, process_id: str) -> list[tuple[ProcessVersion, int]]:
    """Every version of a process, newest first, with how many of its cases are still running."""
    rows = list(session.scalars(select(ProcessVersion).where(ProcessVersion.process_id == process_id)
                                .order_by(ProcessVersion.version.desc())))
    if not rows:
        raise NotFound("process_not_deployed", {"process_id": process_id})
    counts = running_counts(session, [v.id for v in rows])
    return [(v, counts.get(v.id, 0)) for v in rows]


def running_counts(session, version_ids: list[int]) -> dict[int, int]:
    return dict(session.execute(
        select(ProcessInstance.version_id, func.count()).where(
            ProcessInstance.version_id.in_(version_ids), ProcessInstance.status.in_(RUNNING))
        .group_by(ProcessInstance.version_id)).all())


MAX_NUMBER = 2**31 - 1          # the largest version number a database integer column holds


def get_version(session, process_id: str, number: int) -> ProcessVersion:
    if not 0 < number <= MAX_NUMBER:            # no such version; and the database would refuse the number
        raise NotFound("version_missing", {"process_id": process_id, "version": number})
    version = session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == process_id,
                                                          ProcessVersion.version == number))
    if version is None:
        raise NotFound("version_missing", {"process_id": process_id, "version": number})
    return version


def diff(session, process_id: str, from_version: int, to_version: int) -> list[dict]:
    return diff_versions(get_version(session, process_id, from_version), get_version(session, process_id, to_version))


def forms_catalogue(session, forms_dir: str) -> dict[str, str]:
    """Forms a diagram may name: those in forms/ and those of deployed versions (name → where)."""
    found: dict[str, str] = {}
    for version in session.scalars(select(ProcessVersion).order_by(ProcessVersion.id)):
        for name in version.forms or {}:
            found[name] = "registry"
    folder = Path(forms_dir)
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            if FORM_NAME.match(path.name):
                found[path.name] = "forms/"
    return dict(sorted(found.items()))


def form_schema(session, name: str, forms_dir: str) -> dict:
    """The newest content of a form: forms/ first (what the next deploy uses), else the newest version's."""
    if not FORM_NAME.match(name):
        raise NotFound("form_not_found", {"name": name})
    path = Path(forms_dir) / name
    if path.is_file():
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            raise Conflict("form_not_json", {"name": name}) from None
    for version in session.scalars(select(ProcessVersion).order_by(ProcessVersion.id.desc())):
        if name in (version.forms or {}):
            return version.forms[name]
    raise NotFound("form_not_found", {"name": name})


# -- migration -------------------------------------------------------------------------------------------
def cases_behind(session, process_id: str, *, limit: int = 100) -> list[tuple[ProcessInstance, ProcessVersion]]:
    """Running cases of a process on an older version than the newest, oldest first."""
    newest = select(func.max(ProcessVersion.version)).where(ProcessVersion.process_id == process_id).scalar_subquery()
    rows = session.execute(
        select(ProcessInstance, ProcessVersion).join(ProcessVersion, ProcessInstance.version_id == ProcessVersion.id)
        .where(ProcessInstance.process_id == process_id, ProcessInstance.status.in_(RUNNING),
               ProcessVersion.version < newest)
        .order_by(ProcessInstance.created_at).limit(limit)).all()
    return [(i, v) for i, v in rows]


def _migration_target(session, instance_id: str, to_version: int | None, user: User):
    if not user.has_role(*OWNERS):
        raise Forbidden("migrate_owners_only")
    instance = session.get(ProcessInstance, str(instance_id))
    if instance is None:
        raise NotFound("instance_not_found", {"instance_id": instance_id})
    current = session.get(ProcessVersion, instance.version_id)
    if instance.status not in RUNNING:
        raise Conflict("instance_not_running", {"status": instance.status})
    if to_version is None:
        target = session.scalar(select(ProcessVersion).where(ProcessVersion.process_id == current.process_id)
                                .order_by(ProcessVersion.version.desc()).limit(1))
    else:
        target = get_version(session, current.process_id, to_version)
    if target.version <= current.version:
        raise Conflict("migrate_not_newer", {"version": current.version},
                       errors=[field("to_version", "greater_than", n=current.version)])
    return instance, current, target


def migration_problems(session, *, instance_id: str, to_version: int | None, user: User,
                       settings: Settings) -> tuple[ProcessInstance, ProcessVersion, ProcessVersion, list[dict]]:
    """Whether the instance could move (nothing is changed): the versions and the reasons it could not."""
    instance, current, target = _migration_target(session, instance_id, to_version, user)
    functions = engine_functions(session, settings)
    try:
        migrate(instance.state, runner_for(current, functions), runner_for(target, functions))
    except MigrationRefused as exc:
        return instance, current, target, [p.to_dict() for p in exc.problems]
    return instance, current, target, []


def migrate_instance(session, *, instance_id: str, to_version: int | None, user: User,
                     settings: Settings) -> tuple[ProcessInstance, ProcessVersion, ProcessVersion]:
    """Move a running case onto a newer version of its process, or raise Conflict with the reasons."""
    instance, current, target = _migration_target(session, instance_id, to_version, user)
    functions = engine_functions(session, settings)
    new_runner = runner_for(target, functions)
    try:
        state = migrate(instance.state, runner_for(current, functions), new_runner)
    except MigrationRefused as exc:
        raise Conflict("migrate_refused", {"version": target.version, "reason": str(exc)},
                       errors=[p.to_dict() for p in exc.problems]) from None
    result = new_runner.describe(state)
    if instance.status == "error":                  # an incident stays an incident until someone retries
        result.status, result.error = "error", instance.error
    instance.version_id = target.id
    moved = {"type": "instance_migrated", "state_hash": result.state_hash,
             "data": {"from_version": current.version, "to_version": target.version,
                      "from_sha256": current.sha256, "to_sha256": target.sha256}}
    with conflict_guard(session):
        apply_step(session, instance, target, result, actor=user.username,
                   message_ttl_hours=settings.message_ttl_hours, leading_events=[moved])
        _refresh_open_tasks(session, instance, target, result)
    return instance, current, target


def _refresh_open_tasks(session, instance, version: ProcessVersion, result) -> None:
    """Open inbox rows keep their ids (claims and drafts survive) but show the new version's task."""
    ready = {t.task_id: t for t in result.ready_tasks}
    for row in session.scalars(select(Task).where(Task.instance_id == instance.id, Task.state == "ready")):
        task = ready.get(row.id)
        if task is None:
            continue
        element = version.element(task.bpmn_id) or {}
        agency = agency_for_lane(task.lane)
        if agency != row.agency:         # the task moved to another agency's lane: routed afresh
            from ..instances.models import Case
            from ..instances.routing import route_task
            row.organisation = route_task(session, instance=instance, agency=agency, now=instance.updated_at,
                                          case=session.get(Case, instance.case_id) if instance.case_id else None)
        row.name, row.lane, row.agency = task.name, task.lane, agency
        row.required_role = task.properties.get("requiredRole")
        row.form = task.properties.get("formJsonSchemaFilename")
        row.ui_form = task.properties.get("formUiSchemaFilename")
        row.instructions = task.instructions
        row.clauses = element.get("clauses", [])
