"""The child's name as a page shows it: in full, or as initials when the reader should not see it."""
from __future__ import annotations

from typing import Any

NAME_KEYS = ("full_name", "fio", "name")
PART_KEYS = ("last_name", "first_name", "patronymic")


def child_name(data: dict | None) -> str | None:
    """The child's name from an instance's data (``child.full_name`` or its parts), if any."""
    child = (data or {}).get("child")
    if not isinstance(child, dict):
        return None
    for key in NAME_KEYS:
        if isinstance(child.get(key), str) and child[key].strip():
            return " ".join(child[key].split())
    parts = [child[k].strip() for k in PART_KEYS if isinstance(child.get(k), str) and child[k].strip()]
    return " ".join(parts) or None


def initials(name: str | None) -> str | None:
    """«Иванов Пётр Сергеевич» → «И. П. С.»: enough to tell cases apart, not to identify a child."""
    if not name:
        return None
    return " ".join(part[0].upper() + "." for part in name.split() if part)


def shown_name(data: dict | None, visible: bool) -> str | None:
    name = child_name(data)
    return name if visible else initials(name)


def child_facts(data: dict | None) -> dict[str, Any]:
    child = (data or {}).get("child")
    return child if isinstance(child, dict) else {}
