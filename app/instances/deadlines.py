"""Whether a task kept its statutory deadline: one rule for the supervisor's page and the audit."""
from __future__ import annotations

from datetime import datetime

from .models import Task


def outcome(task: Task, now: datetime) -> str:
    """on_time | late | open_overdue | pending | cancelled, for a task that has a due time."""
    if task.state == "completed":
        # A deadline timer that fired before the completion is a miss whatever the clocks say.
        return "on_time" if task.completed_at <= task.due_at and task.overdue_since is None else "late"
    if task.state == "cancelled":
        return "late" if task.completed_at and task.completed_at >= task.due_at else "cancelled"
    return "open_overdue" if task.overdue_since is not None or task.due_at < now else "pending"
