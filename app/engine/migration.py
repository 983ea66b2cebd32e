"""Moving a running workflow onto a newer version of its spec, when that is safe.

An instance normally finishes on the version it began with. When the law changes, a process
owner may move a running case onto the new version — but only if everything the case has
already done and everything it is doing now still exists in the new version with the same
BPMN id and the same kind of element; otherwise the history would point at steps the new
diagram no longer has. What lies ahead (predicted tasks) is simply predicted again from the new
spec. Tasks that are waiting (ready user tasks, armed timers, message catches) keep their ids,
so claims, drafts and inbox rows survive; their deadlines are recomputed from the new diagram.
"""
from __future__ import annotations

from SpiffWorkflow.bpmn.util.diff import SpecDiff, WorkflowDiff, migrate_workflow
from SpiffWorkflow.util.task import TaskState

from .model import Problem
from .runtime import Runner
from .serialization import SERIALIZER, workflow_to_json

# Tasks the instance has reached: done, doing, or definitely about to do.
REACHED = TaskState.FINISHED_MASK | TaskState.DEFINITE_MASK


class MigrationRefused(Exception):
    """The instance cannot move to the new version; ``problems`` says which element is why."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(f"{p.element_id or '-'}: {p.message}" for p in problems))
        self.problems = problems


def _label(spec) -> str:
    bpmn_id = getattr(spec, "bpmn_id", None)
    name = getattr(spec, "bpmn_name", None)
    if bpmn_id:
        return f"{bpmn_id!r}" + (f" ({name})" if name else "")
    return f"the engine's {spec.name!r}"


def check(workflow, new_spec, new_subprocess_specs: dict) -> list[Problem]:
    """Why the workflow cannot run on ``new_spec`` (empty when it can)."""
    found: dict[str, Problem] = {}
    for sub in [workflow, *workflow.subprocesses.values()]:
        target = new_spec if sub is workflow else new_subprocess_specs.get(sub.spec.name)
        if target is None:
            found[sub.spec.name] = Problem.coded(sub.spec.name, "called_process_gone", process=sub.spec.name)
            continue
        # Elements first, so that a removed task is reported as itself, not as its boundary join.
        reached = sorted(sub.get_tasks(state=REACHED, skip_subprocesses=True),
                         key=lambda t: not getattr(t.task_spec, "bpmn_id", None))
        for task in reached:
            old = task.task_spec
            element = getattr(old, "bpmn_id", None) or old.name.split(".", 1)[0]
            if element in found:
                continue
            state = TaskState.get_name(task.state).lower()
            new = target.task_specs.get(old.name)
            if new is None:
                found[element] = Problem.coded(element, "element_gone", element=_label(old), state=state)
            elif type(new) is not type(old):
                found[element] = Problem.coded(element, "element_type_changed", element=_label(old), state=state,
                                                        new_type=type(new).__name__, old_type=type(old).__name__)
    problems = list(found.values())
    return problems


def migrate(state: str, old: Runner, new: Runner) -> str:
    """The serialized state of the same workflow on the new spec, or raise MigrationRefused."""
    workflow = old.load(state)
    problems = check(workflow, new.spec, new.subprocess_specs)
    if problems:
        raise MigrationRefused(problems)
    workflow.script_engine = new._engine()
    registry = SERIALIZER.registry
    migrate_workflow(WorkflowDiff(workflow, SpecDiff(registry, workflow.spec, new.spec)), workflow, new.spec)
    for sub in workflow.subprocesses.values():
        target = new.subprocess_specs[sub.spec.name]
        migrate_workflow(WorkflowDiff(sub, SpecDiff(registry, sub.spec, target)), sub, target)
    workflow.subprocess_specs = new.subprocess_specs
    stale = [t for t in workflow.get_tasks() if t.task_spec.name not in
             (new.spec.task_specs if t.workflow is workflow else t.workflow.spec.task_specs)]
    for task in stale:                         # predicted tasks of removed elements: predicted again below
        if task.id in task.workflow.tasks and task.has_state(TaskState.PREDICTED_MASK):
            task.workflow._remove_task(task.id)
    text = workflow_to_json(workflow)
    new.load(text)                             # proves the state restores on the new spec alone
    return text
