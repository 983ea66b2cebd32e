"""The worker: fires due timers, routes messages, warns of near deadlines, anchors the event log and sends e-mail,
polling the database.

Its own entry point (``flask worker run``), calling the same domain functions as the web process.
Any number of workers may run beside each other: timers and messages are taken with row locks.
"""
from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import Callable, Mapping

from .engine import clock
from .extensions import db
from .instances.environment import Settings


#: How often a running worker does what is measured in minutes, not rounds: the «deadline near» e-mails, the
#: daily digests, the log's anchors. Asking for each every round (0.2 s) was half an idle round's statements.
CHORES_EVERY_SECONDS = 5.0


def run_due(now: datetime, settings: Settings, rounds: int = 50, *, warn: bool = True) -> tuple[int, int]:
    """Fire due timers and route messages until nothing more happens at ``now``; then (``warn``) queue the
    «deadline near» e-mails of what is still open (after the timers, so a deadline that just passed is told as
    missed, not near)."""
    from .instances.environment import working_calendar
    from .messages.service import route_pending
    from .notify.service import warn_due_soon
    from .timers.service import fire_due_timers
    fired = routed = 0
    for n in range(rounds):
        f = fire_due_timers(db.session, now=now, settings=settings)
        r = route_pending(db.session, now=now, settings=settings, expire=n == 0)
        fired, routed = fired + f, routed + r
        if not f and not r:
            break
    if warn:
        warn_due_soon(db.session, now=now, calendar=working_calendar(db.session),
                      working_days=settings.due_soon_working_days, share=settings.due_soon_share)
    return fired, routed


def run_loop(config: Mapping, *, rounds: int | None = None, sleep: Callable[[float], None] = time.sleep,
             say: Callable[..., None] = print) -> None:
    """Round after round (``rounds`` of them, or forever), ``WORKER_POLL_SECONDS`` apart.

    A failing round (the database restarting, say) is reported by its exception's type only, never its
    text, which may quote a child's data; the loop goes on a second later."""
    from .audit.anchors import anchor_if_due
    from .notify.mailer import transport
    from .notify.service import collect_digests, send_due
    send = transport(config.get("SMTP_URL"), say=say)       # unset: mail goes to this console
    settings = Settings.from_config(config)
    poll = config["WORKER_POLL_SECONDS"]
    anchor_every = timedelta(minutes=config["AUDIT_ANCHOR_MINUTES"])
    done, chores_at = 0, None
    while rounds is None or done < rounds:
        try:
            chores = chores_at is None or time.monotonic() - chores_at >= CHORES_EVERY_SECONDS
            run_due(clock.now(), settings, rounds=5, warn=chores)
            if chores:
                anchor_if_due(db.session, now=clock.now(), every=anchor_every)
                collect_digests(db.session, now=clock.now())
                chores_at = time.monotonic()
            send_due(db.session, now=clock.now(), send=send, base_url=config["BASE_URL"])
        except Exception as exc:  # keep the loop alive across database restarts
            db.session.rollback()
            say(f"worker round failed: {type(exc).__name__}")
            sleep(1)
        finally:
            db.session.remove()
        done += 1
        if rounds is None or done < rounds:
            sleep(poll)
