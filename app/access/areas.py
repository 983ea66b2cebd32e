"""Which parts of the service a user may open: the pages behind the top menu, and the actions offered on them.

Templates ask ``can('open', 'supervision')`` instead of repeating role lists, so a menu never shows a link its
page refuses (tests/pages/test_pages_navigation.py opens every shown link and every hidden one for each role).
The roles are those the pages' own gates check; a national or regional scope inside a page is the rest of
``app.access`` (``task_filter``, ``case_filter``, ``overseen``).
"""
from __future__ import annotations

AREAS: dict[str, tuple[str, ...]] = {
    # the inbox and notices: everyone but the overseers, who have counts only (app/access/aggregates.py)
    "inbox": ("staff", "supervisor", "process_owner", "auditor", "admin", "integration"),
    "cases": ("staff", "supervisor", "auditor", "admin"),            # the Cases page: search within what one sees
    "supervision": ("supervisor", "auditor", "admin"),               # deadlines kept, late and escalated work
    "dashboard": ("supervisor", "overseer", "auditor", "admin"),     # counts across cases in one's scope
    "modeler": ("process_owner", "admin", "auditor"),                # diagrams and their versions (auditors read)
    "process_editing": ("process_owner", "admin"),                   # edit, deploy, move running cases
    "audit": ("auditor", "admin"),                                   # replay, history, deadlines kept
    "access_log": ("auditor",),                                      # who read which case (not admins: it logs them)
    "users": ("admin",),
    "organisations": ("admin",),
}


def may_open(user, area: str) -> bool:
    if area not in AREAS:
        raise ValueError(f"no area {area!r}")
    return user is not None and user.has_role(*AREAS[area])
