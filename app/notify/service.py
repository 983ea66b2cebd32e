"""Which e-mails an engine step causes, and sending them.

``queue_mail_for_step`` is the one call ``instances/steps.py`` makes: for each task the step created (a new
task, a notice awaiting acknowledgement, an escalation) and each deadline it marked missed, one row per
person who may work the task and has an address, in the step's own transaction — so a step that rolls
back announces nothing. The worker's ``run_due`` calls ``warn_due_soon`` (deadlines about to pass), then its
loop calls ``collect_digests`` and ``send_due``. Bodies carry the
case's registration number, the task's name (the diagram's words, not the child's) and a link, worded in
the recipient's remembered language (``User.language``; Russian when they never chose).
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import Float, bindparam, exists, literal, select, text, update
from sqlalchemy.exc import IntegrityError

from ..instances.models import Case, ProcessInstance, Task
from ..calendar.working_days import to_local
from ..i18n import N_, gettext_in, normalize
from ..registry.words import element_name_in
from ..timeutil import UtcDateTime, utcnow
from ..users.models import User
from . import recipients
from .addresses import valid_address
from .models import OutgoingMail

PREFERENCES = ("immediate", "digest", "off")
DIGEST_AT = time(8, 0)                       # local time the daily summary leaves
MAX_ATTEMPTS = 10
BASE = "{base_url}"                          # replaced by QAMQOR_BASE_URL when the mail is sent

# the words of the mails are msgids of app/translations, worded in each recipient's language (User.language)
SUBJECTS = {
    "task": N_("New task in case No. %(number)s"),
    "notice": N_("A notice in case No. %(number)s awaits acknowledgement"),
    "escalation": N_("Escalation in case No. %(number)s"),
    "overdue": N_("Deadline missed in case No. %(number)s"),
    "due_soon": N_("Deadline near in case No. %(number)s"),
}
URGENT = ("escalation", "overdue", "due_soon")   # sent at once whatever the preference: a digest would come too late
FOOTER = N_("Sent by Qamqor; e-mails never carry a child's data.")


def _footer(lang: str | None) -> str:
    return "\n\n" + gettext_in(lang, FOOTER)


def _kind(session, instance, task: Task) -> str:
    if task.required_role == "supervisor":
        return "escalation"
    # a chapter started by a message opens with the receiving agency's acknowledgement: that task is the notice
    # (asked of the database only for such a chapter: a person's completion is on every request's hot path)
    if instance.started_by != "system":
        return "task"
    first = not session.scalar(select(exists().where(Task.instance_id == instance.id)))
    return "notice" if first else "task"


def queue_mail_for_step(session, instance, result) -> None:
    """Queue one e-mail per event and recipient: the tasks this step added (still unflushed in the session)
    and the deadlines it marked missed."""
    # only tasks somebody would be mailed about: telling a notice from a task costs a query (see _kind)
    new_tasks = [o for o in session.new if isinstance(o, Task) and o.instance_id == instance.id
                 and recipients.with_address(session, o.agency)]
    overdue_ids = [e.task_id for e in result.events if e.type == "overdue"]
    overdue_tasks = [t for t in (session.get(Task, i) for i in overdue_ids) if t is not None]
    if not new_tasks and not overdue_tasks:
        return
    case = session.get(Case, instance.case_id) if instance.case_id else None
    number = case.registration_number if case else "—"
    kinds = {t.id: _kind(session, instance, t) for t in new_tasks}
    for task in new_tasks:                  # a task made by this very step: nothing can be queued for it yet
        _queue(session, task, kinds[task.id], f"task:{task.id}", number, instance.version_id, fresh=True)
    for task in overdue_tasks:
        _queue(session, task, "overdue", f"overdue:{task.id}", number, instance.version_id)


def _queue(session, task: Task, kind: str, key: str, number: str, version_id: int, *, fresh: bool = False) -> None:
    urgent = kind in URGENT
    people = recipients.with_address(session, task.agency)   # remembered per process (notify/recipients.py)
    if not people:
        return                                         # nobody of the agency has an address: nothing to queue
    from ..instances.service import can_work_task      # (instances.service → steps → here: import late)
    already = set() if fresh else set(session.scalars(select(OutgoingMail.user_id)
                                                      .where(OutgoingMail.event_key == key)))
    named: dict[str, str] = {}

    def task_name(lang) -> str:
        """The task's name in the recipient's language, from its version's words (app/registry/words.py)."""
        if lang not in named:
            named[lang] = element_name_in(session, version_id, task.bpmn_id, normalize(lang),   # None: Russian
                                          task.name or task.bpmn_id)
        return named[lang]
    now = utcnow()
    for person in people:
        if person.id in already or not can_work_task(person, task):
            continue
        preference = person.mail_preference if person.mail_preference in PREFERENCES else "immediate"
        if preference == "off" and not urgent:
            continue
        digest = preference == "digest" and not urgent
        due = task.due_at and to_local(task.due_at).strftime("%d.%m.%Y, %H:%M")
        lang = person.language
        subject = gettext_in(lang, SUBJECTS[kind], number=number)
        body = "\n".join(filter(None, [
            f"{subject}.",
            gettext_in(lang, "Task: %(name)s.", name=task_name(lang)),
            gettext_in(lang, "Deadline: %(due)s.", due=due) if due else None,
            gettext_in(lang, "Open: %(link)s", link=f"{BASE}/tasks/{task.id}")]))
        # a digest's items go without the footer: the summary carries it once
        body += "" if digest else _footer(lang)
        session.add(OutgoingMail(event_key=key, user_id=person.id, address=person.email, kind=kind, urgent=urgent,
                                 case_id=task.case_id, subject=subject, body=body,
                                 status="digest" if digest else "pending", attempts=0,
                                 next_attempt_at=next_digest_at(now) if digest else now, created_at=now))


WITHDRAWN_SUBJECT = N_("Registration of case No. %(number)s withdrawn")


def queue_withdrawal_mail(session, case, people, *, by) -> None:
    """Tell each of ``people`` (those who could open the case) that its registration was withdrawn as made in
    error and its open work cancelled (instances/withdrawal.py). Urgent — sent whatever the preference: someone
    may be on their way to the family. The reason stays out: it is free text and may name the child."""
    now = utcnow()
    who = by.full_name or by.username
    for person in people:
        lang = person.language
        subject = gettext_in(lang, WITHDRAWN_SUBJECT, number=case.registration_number)
        body = "\n".join([
            f"{subject}.",
            gettext_in(lang, "Withdrawn by %(who)s as registered in error; the reason is on the case page.", who=who),
            gettext_in(lang, "Its open tasks are cancelled: nothing more is to be done in this case."),
            gettext_in(lang, "Open: %(link)s", link=f"{BASE}/cases/{case.id}")]) + _footer(lang)
        session.add(OutgoingMail(event_key=f"withdrawn:{case.id}", user_id=person.id, address=person.email,
                                 kind="withdrawn", urgent=True, case_id=case.id, subject=subject, body=body,
                                 status="pending", attempts=0, next_attempt_at=now, created_at=now))


def warn_due_soon(session, *, now: datetime, calendar, working_days: int, share: float) -> int:
    """Queue one «deadline near» e-mail per open task whose deadline is close, for the people who may work it.

    Close means both: due before the end of the ``working_days``-th working day from today (so a Friday's
    warning covers Monday's deadlines), and no more than ``share`` of the task's time left (so a one-hour
    acknowledgement is announced 15 minutes before, not with the task). The tasks are found through
    ``ix_tasks_inbox`` (agency, state, due_at) for the agencies that have someone with an address, never by
    reading every task; a task already warned (its ``due_soon:<id>`` row exists) is not read again. The
    outbox's unique (event, person) keeps a warning from going twice, even with two workers. Commits."""
    agencies = list(session.scalars(select(User.agency).where(User.active.is_(True), User.email.is_not(None),
                                                              User.agency.is_not(None)).distinct()))
    if not agencies:
        return 0
    until = calendar.add_working_days(now, working_days)
    warned = exists().where(OutgoingMail.event_key == literal("due_soon:").concat(Task.id))
    tasks = list(session.scalars(select(Task).where(Task.agency.in_(agencies), Task.state == "ready",
                                                    Task.due_at > now, Task.due_at <= until, ~warned,
                                                    _share_left(session, now, share))
                                 .order_by(Task.due_at)))
    queued = 0
    for task in tasks:
        instance = session.get(ProcessInstance, task.instance_id)
        case = session.get(Case, task.case_id) if task.case_id else None
        try:
            with session.begin_nested():               # another worker warned it meanwhile: skip, keep the rest
                _queue(session, task, "due_soon", f"due_soon:{task.id}",
                       case.registration_number if case else "—", instance.version_id)
        except IntegrityError:
            continue
        queued += 1
    session.commit()
    return queued


def _share_left(session, now: datetime, share: float):
    """SQL: at most ``share`` of the task's time (created → due) is left at ``now``. In the query, not after it, so
    the tasks of the coming working day that are not yet near are not read again every round of the worker."""
    params = (bindparam("due_soon_share", share, type_=Float), bindparam("due_soon_now", now, type_=UtcDateTime()))
    if session.get_bind().dialect.name == "postgresql":
        return text("tasks.due_at - (tasks.due_at - tasks.created_at) * :due_soon_share <= :due_soon_now"
                    ).bindparams(*params)
    return text("julianday(tasks.due_at) - (julianday(tasks.due_at) - julianday(tasks.created_at)) * :due_soon_share"
                " <= julianday(:due_soon_now)").bindparams(*params)


def next_digest_at(now: datetime) -> datetime:
    local = to_local(now)
    at = local.replace(hour=DIGEST_AT.hour, minute=DIGEST_AT.minute, second=0, microsecond=0)
    return at if at > local else at + timedelta(days=1)


def collect_digests(session, *, now: datetime) -> int:
    """Fold each user's due digest rows into one summary e-mail (itself an outbox row). Commits."""
    rows = list(session.scalars(select(OutgoingMail).where(OutgoingMail.status == "digest",
                                                           OutgoingMail.next_attempt_at <= now)
                                .order_by(OutgoingMail.user_id, OutgoingMail.id)))
    made = 0
    by_user: dict[int, list[OutgoingMail]] = {}
    for row in rows:
        by_user.setdefault(row.user_id, []).append(row)
    for user_id, items in by_user.items():
        day = to_local(items[0].next_attempt_at).date().isoformat()
        key = f"digest:{user_id}:{day}"
        if session.scalar(select(exists().where(OutgoingMail.event_key == key, OutgoingMail.user_id == user_id))):
            key = f"{key}:{items[0].id}"
        lang = getattr(session.get(User, user_id), "language", None)
        body = "\n\n".join(i.body for i in items)
        session.add(OutgoingMail(event_key=key, user_id=user_id, address=items[-1].address, kind="digest",
                                 urgent=False, case_id=None,
                                 subject=gettext_in(lang, "Qamqor: new today (%(n)s)", n=len(items)),
                                 body=body + _footer(lang), status="pending", attempts=0,
                                 next_attempt_at=now, created_at=now))
        for i in items:
            i.status = "digested"
        made += 1
    session.commit()
    return made


def backoff(attempts: int) -> timedelta:
    """1 minute after the first failure, doubling up to an hour."""
    return min(timedelta(minutes=2 ** (attempts - 1)), timedelta(hours=1))


def send_due(session, *, now: datetime, send, base_url: str, limit: int = 20) -> int:
    """Send what is due, one row at a time: claimed under a row lock and committed as ``sending`` before the
    SMTP conversation, so two workers never send the same row and a crash never sends it again."""
    sent = 0
    for _ in range(limit):
        row = session.scalar(select(OutgoingMail).where(OutgoingMail.status == "pending",
                                                        OutgoingMail.next_attempt_at <= now)
                             .order_by(OutgoingMail.next_attempt_at, OutgoingMail.id).limit(1)
                             .with_for_update(skip_locked=True))
        if row is None:
            break
        claimed = session.execute(update(OutgoingMail).where(OutgoingMail.id == row.id,
                                                             OutgoingMail.status == "pending")
                                  .values(status="sending", attempts=OutgoingMail.attempts + 1)
                                  .execution_options(synchronize_session=False)).rowcount
        session.commit()
        if not claimed:
            continue
        session.refresh(row)
        try:
            send(to=row.address, subject=f"Qamqor: {row.subject}" if row.kind != "digest" else row.subject,
                 body=row.body.replace(BASE, base_url.rstrip("/")), message_id=f"{row.event_key}.{row.user_id}")
        except Exception as exc:  # the server refused or was away: try again later
            row.last_error = type(exc).__name__
            if row.attempts >= MAX_ATTEMPTS:
                row.status = "failed"
            else:
                row.status = "pending"
                row.next_attempt_at = now + backoff(row.attempts)
        else:
            row.status, row.sent_at, row.last_error = "sent", now, None
            sent += 1
        session.commit()
    return sent


def set_preference(session, user: User, *, email: str | None, preference: str) -> None:
    from ..errors import Invalid
    from ..problems import field
    errors = []
    if preference not in PREFERENCES:
        errors.append(field("mail_preference", "one_of", values=", ".join(PREFERENCES)))
    if email is not None and email and not valid_address(email):
        errors.append(field("email", "email_address"))
    if errors:
        raise Invalid("notification_settings_invalid", errors)
    user.email = email or None
    user.mail_preference = preference
    session.commit()

