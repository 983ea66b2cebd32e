"""Which agencies a case's messages have already gone to: the service's fact, given to the diagrams.

The Guide wants police, КДНЗП and guardianship told of every fact "immediately" (P8.4, P13.3,
P14.1). Whether one of them already heard of this case is known from the case's messages, so
the diagrams branch on it (``case_notified_agencies`` in the data of every completed task)
instead of asking staff to remember who was told. A message counts once it is sent (pending,
delivered or waiting for its receiver); only an expired one (or one cancelled with its case's withdrawn
registration) never reached anybody.
"""
from __future__ import annotations

from sqlalchemy import ColumnElement, func, select

from ..messages.models import Message

#: message name -> the agency whose chapter receives it (as processes/guide.yaml lists them)
RECIPIENT = {
    "police_notified": "police",
    "kdnzp_notified": "kdnzp",
    "guardianship_notified": "education_authority",
    "parental_rights_petition": "education_authority",
    "education_org_notified": "education_org",
    "health_notified": "health",
    "infant_placement_requested": "health",
    "social_protection_notified": "social_protection",
    "centre_placement_requested": "center",
    "prosecutor_notified": "prosecutor",
    "mes_committee_notified": "mes_committee",
}
VARIABLE = "case_notified_agencies"
UNSENT = ("expired", "cancelled")


def notified_agencies(session, case_id: str | None) -> list[str]:
    """The agencies (sorted codes) that this case's messages were sent to."""
    if not case_id:
        return []
    names = session.scalars(select(Message.name).where(Message.case_id == case_id,
                                                       Message.status.not_in(UNSENT)).distinct())
    return _agencies(names)


def _agencies(message_names) -> list[str]:
    return sorted({RECIPIENT[n] for n in message_names if n in RECIPIENT})


def notified_column(case_id) -> ColumnElement[str | None]:
    """The same question as one column (the names of the case's sent messages, joined) for a query that reads
    the case anyway: a task completion asks it in the query that loads the task, instead of a round trip of its
    own. One aggregate with plain comparisons, not an EXISTS per agency with IN lists: those made SQLAlchemy
    expand and render the statement anew on every execution, which cost more CPU than PostgreSQL spent on it."""
    return (select(func.aggregate_strings(Message.name, _SEPARATOR))
            .where(Message.case_id == case_id, Message.status != UNSENT[0], Message.status != UNSENT[1])
            .scalar_subquery())


_SEPARATOR = "\x1f"        # the ASCII unit separator: no message name holds it


def agencies_of(joined: str | None) -> list[str]:
    """``notified_agencies``'s answer from the value of ``notified_column``."""
    return _agencies(joined.split(_SEPARATOR) if joined else ())
