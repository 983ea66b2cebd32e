"""The case page's story sections: ``instances.case_story`` in the reader's language (the page stays thin)."""
from __future__ import annotations

from ..i18n import current_language
from ..instances.case_story import tell


def story_context(session, user, case, *, instances, versions, data: dict, open_tasks, names, titles) -> dict:
    """``report``, ``registered_by``, ``registered_unit``, ``duties`` and ``story`` for ``case.html``."""
    return tell(session, user, case, instances=instances, versions=versions, data=data, open_tasks=open_tasks,
                lang=current_language(), names=names, titles=titles)
