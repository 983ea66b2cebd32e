"""What the procedure looks like across many cases: counts only, computed by the database.

Each figure is a GROUP BY over the task projection (never a loop over cases): cases waiting per
chapter and agency, deadlines kept or missed per clause and month, overdue tasks per agency and
organisation, notices not yet acknowledged per agency, and how long each agency took to act first.
Nothing personal is selected, only counts and durations.

Scope is the caller's: ``app.access.aggregates`` (auditors, admins and the committee's overseers: the
country; supervisors: their agency, or their organisation once they have one). A ``territory`` (КАТО code)
narrows to cases whose child lives there or below. A regional auditor or overseer is held to their territory.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, exists, func, literal, select
from sqlalchemy.orm import aliased

from ..access.aggregates import (AGGREGATE_ROLES, aggregate_task_filter, aggregate_territory, counts_the_country,
                                 sees_aggregates)
from ..errors import Forbidden, Invalid
from ..problems import field
from ..instances.deadlines import deadline_candidates
from ..instances.models import Case, ProcessInstance, Task, not_withdrawn
from ..registry.models import ProcessVersion
from ..registry.words import chapter_titles
from ..timeutil import utcnow
from ..users.models import User

ROLES = AGGREGATE_ROLES
SMALL = 5                    # counts below this are not exported outside the caller's organisation
WORK_MEM = "32MB"            # PostgreSQL's memory per sort or hash of the dashboard's counts (``_roomy``)


@dataclass
class Figure:
    """One chart's data: rows of (labels..., counts...), with the column names."""
    key: str
    columns: list[str]
    rows: list[tuple]


def scope_territory(user: User, asked: str | None) -> str | None:
    """The territory the figures cover: a regional auditor's or overseer's own (``aggregate_territory``), or a
    part of it they ask for; anyone else, what they ask for (their task filter still bounds it)."""
    from .. import territories
    own = aggregate_territory(user)
    if own is None:
        return asked
    return asked if asked and territories.covers(own, asked) else own


def _territory_filter(code: str | None):
    """Cases in the territory or under it in the КАТО classifier (app.territories)."""
    if not code:
        return None
    from .. import territories
    if territories.get(code) is None:
        raise Invalid("unknown_territory", [field("territory", "kato_code")])
    codes, frontier = {code}, [code]
    while frontier:
        below = [t.code for t in territories.children(frontier.pop())]
        codes.update(below)
        frontier.extend(below)
    return Case.territory.in_(sorted(codes))


def _scoped(q, user: User, territory: str | None):
    q = q.where(aggregate_task_filter(user))
    condition = _territory_filter(territory)
    if condition is not None:
        q = q.join(Case, Case.id == Task.case_id).where(condition)
    return q


def dashboard(session, *, user: User, territory: str | None = None, since: datetime | None = None,
              until: datetime | None = None) -> list[Figure]:
    if not sees_aggregates(user):
        raise Forbidden("dashboard_forbidden")
    if since and until and since >= until:
        raise Invalid("empty_period", [field("until", "after_since")])
    territory = scope_territory(user, territory)
    now = utcnow()
    _roomy(session)
    return [_open_cases(session, user, territory), _deadlines(session, user, territory, since, until, now),
            _overdue(session, user, territory, now), _notices(session, user, territory),
            _territories(session, user, territory, since, until),
            _first_action(session, user, territory, since, until)]


def _roomy(session) -> None:
    """Let PostgreSQL hash and sort the counts in memory for this transaction (SET LOCAL ends with it): at
    100,000 cases the distinct open cases outgrow the default 4 MB and spill to disk (~300 ms -> ~130 ms)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy import text
        session.execute(text(f"SET LOCAL work_mem = '{WORK_MEM}'"))


def _territories(session, user, territory, since, until) -> Figure:
    """Cases opened in the period per oblast (or city of republican significance), ranked: the database
    counts per stored КАТО code, the classifier rolls the codes up to their oblast."""
    from .. import territories
    q = select(Case.territory, func.count()).where(Case.withdrawn_at.is_(None))    # withdrawn: not a report
    if not counts_the_country(user):     # the country needs no condition; anyone else, cases with a task of theirs
        q = q.where(exists(select(Task.id).where(Task.case_id == Case.id, aggregate_task_filter(user))))
    condition = _territory_filter(territory)
    if condition is not None:
        q = q.where(condition)
    if since:
        q = q.where(Case.created_at >= since)
    if until:
        q = q.where(Case.created_at < until)
    totals: dict[str, int] = {}
    for code, n in session.execute(q.group_by(Case.territory)):
        line = territories.lineage(code)
        top = line[-1] if line else "-"
        totals[top] = totals.get(top, 0) + n
    rows = sorted(((code, n) for code, n in totals.items()), key=lambda r: (-r[1], r[0]))
    return Figure("territories", ["territory", "cases"], rows)


def _open_cases(session, user, territory) -> Figure:
    """Cases with an open task, per chapter and agency: one GROUP BY over the tasks alone; the chapters'
    names (a handful of rows) are read apart, so the count needs no join.

    The distinct (agency, chapter, case) triples come first, hashed in memory (``_roomy``), and are then
    counted: COUNT(DISTINCT case_id) sorted every open task per group instead (to disk at 100,000)."""
    triples = _scoped(select(Task.agency, Task.process_id, Task.case_id).where(Task.state == "ready"),
                      user, territory).distinct().subquery()
    q = (select(triples.c.process_id, triples.c.agency, func.count(triples.c.case_id))
         .group_by(triples.c.agency, triples.c.process_id))
    counts = session.execute(q).all()
    names = chapter_titles(session) if counts else {}   # the newest version's title, in the reader's language
    rows = sorted(((names.get(p, p), agency or "-", n) for p, agency, n in counts), key=lambda r: (-r[2], r[0], r[1]))
    return Figure("open_cases", ["chapter", "agency", "cases"], rows)


def _deadlines(session, user, territory, since, until, now) -> Figure:
    """Kept and missed per clause and month of the deadline. A step's clause comes from its timer in its
    version (app.instances.deadlines), so no task is loaded.

    The database groups the tasks alone by (chapter, step, month): no join to the instances. A step whose
    clause is the same in every version of its chapter (the usual case) needs no version; only the steps
    whose versions disagree are grouped again by version (a join over their tasks only). The month is
    date_trunc on PostgreSQL (a timestamp, formatted here) rather than each deadline cast to text."""
    month, month_text = _month(session)
    missed = (Task.overdue_since.is_not(None)
              | ((Task.state == "completed") & (Task.completed_at > Task.due_at))
              | ((Task.state == "ready") & (Task.due_at < now)))
    kept = (Task.state == "completed") & (Task.completed_at <= Task.due_at) & Task.overdue_since.is_(None)
    sums = (func.sum(case((kept, 1), else_=0)), func.sum(case((missed, 1), else_=0)))

    def grouped(*keys):
        q = select(*keys, month, *sums).where(Task.due_at.is_not(None), Task.state != "cancelled",
                                              not_withdrawn(Task.case_id))
        if since:
            q = q.where(Task.due_at >= since)
        if until:
            q = q.where(Task.due_at < until)
        return _scoped(q, user, territory).group_by(*keys, month)

    groups = session.execute(grouped(Task.process_id, Task.bpmn_id)).all()
    from ..audit.compliance import DEADLINE_CLAUSES
    versions: dict[str, list[ProcessVersion]] = {}
    for v in (session.scalars(select(ProcessVersion).where(ProcessVersion.process_id.in_({g[0] for g in groups})))
              if groups else ()):
        versions.setdefault(v.process_id, []).append(v)

    def clause_of(version, bpmn_id) -> str | None:
        step = next((e for e in version.elements or [] if e.get("id") == bpmn_id), {})
        found = deadline_candidates(_Step(bpmn_id, step.get("clauses") or []), version.elements or [],
                                    DEADLINE_CLAUSES)
        return "/".join(found) or None     # an acknowledgement serving several notices names them all

    totals: dict[tuple[str, str], list[int]] = {}

    def add(clause, mon, n_kept, n_missed):
        if clause is None:
            return
        t = totals.setdefault((clause, month_text(mon)), [0, 0])
        t[0] += int(n_kept or 0)
        t[1] += int(n_missed or 0)

    mixed: set[tuple[str, str]] = set()
    for process_id, bpmn_id, mon, n_kept, n_missed in groups:
        clauses = {clause_of(v, bpmn_id) for v in versions.get(process_id, [])}
        if len(clauses) == 1:
            add(clauses.pop(), mon, n_kept, n_missed)
        else:
            mixed.add((process_id, bpmn_id))
    if mixed:                              # versions disagree on these steps: count them per version
        by_id = {v.id: v for vs in versions.values() for v in vs}
        q = (grouped(ProcessInstance.version_id, Task.process_id, Task.bpmn_id)
             .join(ProcessInstance, ProcessInstance.id == Task.instance_id)
             .where(Task.process_id.in_({p for p, _b in mixed}), Task.bpmn_id.in_({b for _p, b in mixed})))
        for version_id, process_id, bpmn_id, mon, n_kept, n_missed in session.execute(q):
            if (process_id, bpmn_id) in mixed:
                add(clause_of(by_id[version_id], bpmn_id), mon, n_kept, n_missed)
    rows = sorted(((c, m, k, x) for (c, m), (k, x) in totals.items()), key=lambda r: (r[0], r[1]))
    return Figure("deadlines", ["clause", "month", "kept", "missed"], rows)


@dataclass
class _Step:
    bpmn_id: str
    clauses: list


def _month(session):
    """The deadline's month as the database groups it, and how a group's value reads as "YYYY-MM": PostgreSQL
    truncates the timestamp (in the session's time zone, as a cast to text would print it); SQLite stores UTC
    text, whose first seven characters are the month."""
    if session.get_bind().dialect.name == "postgresql":
        return func.date_trunc("month", Task.due_at), lambda value: value.strftime("%Y-%m")
    from sqlalchemy import String
    return func.substr(func.cast(Task.due_at, String()), 1, 7), str


def _overdue(session, user, territory, now) -> Figure:
    organisation = getattr(Task, "organisation", None)
    unit = organisation if organisation is not None else literal(None)
    late = Task.overdue_since.is_not(None) | (Task.due_at.is_not(None) & (Task.due_at < now))
    q = select(Task.agency, unit, func.count()).where(Task.state == "ready", late)
    q = _scoped(q, user, territory).group_by(Task.agency, unit)
    rows = sorted(((a or "-", o or "", n) for a, o, n in session.execute(q)), key=lambda r: (-r[2], r[0], r[1]))
    return Figure("overdue", ["agency", "organisation", "tasks"], rows)


def _notices(session, user, territory) -> Figure:
    """Chapters a message started begin with the receiving agency's acknowledgement: its first task still
    open is a notice awaiting acknowledgement (as on the staff's notifications page).

    Asked of the open tasks only (few, beside a history of completed ones): is the instance message-started
    (the partial index ``ix_process_instances_system``) and has it no earlier task?
    The first task of an instance is the one with no task created before it: the same tasks as "created at the
    instance's earliest time", without a MIN over every task of every message-started instance."""
    earlier = aliased(Task)
    q = (select(Task.agency, func.count())
         .where(Task.state == "ready",
                exists(select(ProcessInstance.id).where(ProcessInstance.id == Task.instance_id,
                                                        ProcessInstance.started_by == "system")),
                ~exists(select(earlier.id).where(earlier.instance_id == Task.instance_id,
                                                 earlier.created_at < Task.created_at))))
    q = _scoped(q, user, territory).group_by(Task.agency)
    rows = sorted(((a or "-", n) for a, n in session.execute(q)), key=lambda r: (-r[1], r[0]))
    return Figure("notices", ["agency", "notices"], rows)


def _seconds_between(session, later, earlier):
    """Elapsed seconds as the database counts them: PostgreSQL subtracts timestamps; SQLite stores UTC text
    that julianday() reads."""
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * 86400.0


def _first_action(session, user, territory, since, until) -> Figure:
    """From the report to each agency's first completed step in the case (the registration is the report's
    receipt: the case is opened when staff register it), per agency: how many cases, the median and the
    90th percentile in hours. The database ranks the durations per agency with window functions, which both
    PostgreSQL and SQLite have, and picks the ranks; no duration reaches Python but the two per agency."""
    firsts = (select(Task.case_id.label("case_id"), Task.agency.label("agency"),
                     func.min(Task.completed_at).label("first_at"))
              .where(Task.state == "completed", Task.agency.is_not(None), Task.completed_at.is_not(None)))
    firsts = _scoped(firsts, user, territory).group_by(Task.case_id, Task.agency).subquery()
    took = _seconds_between(session, firsts.c.first_at, Case.created_at)
    ranked = (select(firsts.c.agency.label("agency"), took.label("took"),
                     func.row_number().over(partition_by=firsts.c.agency, order_by=took).label("rank"),
                     func.count().over(partition_by=firsts.c.agency).label("n"))
              .join(Case, Case.id == firsts.c.case_id).where(Case.withdrawn_at.is_(None)))
    if since:
        ranked = ranked.where(Case.created_at >= since)
    if until:
        ranked = ranked.where(Case.created_at < until)
    r = ranked.subquery()
    median_rank = (r.c.n + 1) // 2             # integer division: the lower median
    p90_rank = (9 * r.c.n + 9) // 10           # ceil(0.9 n) in integers
    q = (select(r.c.agency, func.max(r.c.n),
                func.max(case((r.c.rank == median_rank, r.c.took))),
                func.max(case((r.c.rank == p90_rank, r.c.took))))
         .group_by(r.c.agency))
    rows = [(agency, int(n), round(float(median or 0) / 3600, 1), round(float(p90 or 0) / 3600, 1))
            for agency, n, median, p90 in session.execute(q)]
    rows.sort(key=lambda row: (-row[2], row[0]))
    return Figure("first_action", ["agency", "cases", "median_hours", "p90_hours"], rows)


def suppressed(figures: list[Figure]) -> list[Figure]:
    """The figures for export: every count below SMALL replaced by "<5" (a small count can single out a child)."""
    out = []
    for f in figures:
        counts = {i for i, c in enumerate(f.columns) if c in ("cases", "kept", "missed", "tasks", "notices")}
        durations = {i for i, c in enumerate(f.columns) if c.endswith("_hours")}
        rows = []
        for row in f.rows:
            small = any(i in counts and 0 < v < SMALL for i, v in enumerate(row))
            # a median over fewer than five cases is nearly one child's own history: it goes with the count
            rows.append(tuple(f"<{SMALL}" if i in counts and 0 < v < SMALL else "" if i in durations and small else v
                              for i, v in enumerate(row)))
        out.append(Figure(f.key, f.columns, rows))
    return out
