from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, aliased, mapped_column

from ..extensions import db
from ..timeutil import UtcDateTime, utcnow


class Case(db.Model):
    """One child's case: every instance of every chapter for that child, one registration number (P6)."""
    __tablename__ = "cases"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    registration_number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    opened_by: Mapped[str | None] = mapped_column(sa.String(80))
    opened_agency: Mapped[str | None] = mapped_column(sa.String(40))
    opened_organisation: Mapped[str | None] = mapped_column(sa.String(80))
    territory: Mapped[str | None] = mapped_column(sa.String(12))      # the child's residence, a КАТО code
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # what a search finds it by (case_search.py): normalized names of the child and family, their ИИН
    search_names: Mapped[str | None] = mapped_column(sa.Text)
    search_iins: Mapped[str | None] = mapped_column(sa.Text)
    # a registration withdrawn as made in error (withdrawal.py): when, by whom, why; the case and its log stay
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(sa.String(80))
    withdrawal_reason: Mapped[str | None] = mapped_column(sa.Text)
    __table_args__ = (sa.Index("ix_cases_withdrawn", "id", postgresql_where=sa.text("withdrawn_at IS NOT NULL"),
                               sqlite_where=sa.text("withdrawn_at IS NOT NULL")),)


def not_withdrawn(case_id_column):
    """SQL: the row's case (if it has one) is not a registration withdrawn as made in error. Such a case is left
    out of every count of cases and deadlines (compliance, the dashboard): it was never a report of violence,
    and its cancelled work says nothing about how deadlines are kept. An anti-join, on the partial index of
    the few withdrawn cases."""
    withdrawn = aliased(Case, name="withdrawn_case")      # apart from a Case the outer query joins itself
    return ~sa.exists().where(withdrawn.id == case_id_column, withdrawn.withdrawn_at.is_not(None))


class ProcessInstance(db.Model):
    __tablename__ = "process_instances"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    process_id: Mapped[str] = mapped_column(sa.String(200), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("process_versions.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), index=True)
    state: Mapped[str] = mapped_column(sa.Text)
    data: Mapped[dict] = mapped_column(sa.JSON)
    next_timer_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    error: Mapped[str | None] = mapped_column(sa.Text)
    started_by: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seq: Mapped[int] = mapped_column(default=0)
    last_hash: Mapped[str] = mapped_column(sa.String(64), default="0" * 64)
    # failed timer steps in a row (an open incident) and why; next_timer_at then holds the retry time
    timer_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    timer_error: Mapped[str | None] = mapped_column(sa.Text)
    lock_version: Mapped[int] = mapped_column(default=1)
    __mapper_args__ = {"version_id_col": lock_version}


class WaitingMessage(db.Model):
    """Which instance waits for which message, so routing never loads a workflow to find out."""
    __tablename__ = "waiting_messages"
    instance_id: Mapped[str] = mapped_column(sa.ForeignKey("process_instances.id"), primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), primary_key=True)
    case_id: Mapped[str | None] = mapped_column(sa.String(36))
    # the diagram's correlation keys a message must match (any one of the list), None for any message
    correlation_keys: Mapped[list | None] = mapped_column(sa.JSON)
    __table_args__ = (sa.Index("ix_waiting_messages_route", "name", "case_id"),)


class Task(db.Model):
    """Projection of user tasks, kept in step with the workflow, so the inbox never loads one."""
    __tablename__ = "tasks"
    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True)
    instance_id: Mapped[str] = mapped_column(sa.ForeignKey("process_instances.id"), index=True)
    case_id: Mapped[str | None] = mapped_column(sa.String(36), index=True)
    process_id: Mapped[str] = mapped_column(sa.String(200))
    bpmn_id: Mapped[str] = mapped_column(sa.String(200))
    name: Mapped[str | None] = mapped_column(sa.String(300))
    lane: Mapped[str | None] = mapped_column(sa.String(300))
    agency: Mapped[str | None] = mapped_column(sa.String(40))
    organisation: Mapped[str | None] = mapped_column(sa.String(80))    # where routing sent it (routing.py)
    required_role: Mapped[str | None] = mapped_column(sa.String(40))
    form: Mapped[str | None] = mapped_column(sa.String(200))
    ui_form: Mapped[str | None] = mapped_column(sa.String(200))
    instructions: Mapped[str | None] = mapped_column(sa.Text)
    clauses: Mapped[list] = mapped_column(sa.JSON, default=list)
    state: Mapped[str] = mapped_column(sa.String(20))             # ready | completed | cancelled
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    overdue_since: Mapped[datetime | None] = mapped_column(UtcDateTime)   # set when its deadline timer fired
    claimed_by: Mapped[str | None] = mapped_column(sa.String(80))
    draft: Mapped[dict | None] = mapped_column(sa.JSON)
    completed_by: Mapped[str | None] = mapped_column(sa.String(80))
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    __table_args__ = (sa.Index("ix_tasks_inbox", "agency", "state", "due_at"),
                      # the inbox's own order (migration e7b10a7d0007): its first page without sorting them all
                      sa.Index("ix_tasks_inbox_order", "agency", "state", sa.text("(due_at IS NULL)"), "due_at",
                               "created_at"),
                      sa.Index("ix_tasks_org_inbox", "organisation", "state", "due_at"))


class CaseChild(db.Model):
    """The ИИН a case's forms gave for its child: how a second report about the same child finds the first
    (issue 12 §10). Written when a form carrying ``child.iin`` is completed."""
    __tablename__ = "case_children"
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True)
    iin: Mapped[str] = mapped_column(sa.String(12), primary_key=True, index=True)


class CaseLink(db.Model):
    """Staff's decision about two cases of one child: ``linked`` (the report belongs with the other case) or
    ``separate`` (a new case on purpose, with the reason). Stored once per direction, so each case lists it."""
    __tablename__ = "case_links"
    case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True)
    other_case_id: Mapped[str] = mapped_column(sa.ForeignKey("cases.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))               # linked | separate
    reason: Mapped[str | None] = mapped_column(sa.Text)
    decided_by: Mapped[str] = mapped_column(sa.String(80))
    decided_agency: Mapped[str | None] = mapped_column(sa.String(40))
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
