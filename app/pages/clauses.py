"""The Guide's clause texts, so a task's «P6, P4.c» can say what each clause asks (each code a disclosure
that opens to its text on the task page: a tap or Enter reaches it, as a hover title on a phone would not).

Read from ``processes/guide.yaml`` (the clause list the diagrams trace to, shipped with them), once per process
and directory; a missing or unreadable file leaves the bare codes, as before. The texts are the Guide's Russian.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=4)
def clause_texts(processes_dir: str) -> dict[str, str]:
    import yaml  # here: only this reader needs it

    try:
        with open(Path(processes_dir) / "guide.yaml", encoding="utf-8") as fh:
            guide = yaml.safe_load(fh) or {}
    except (OSError, yaml.YAMLError):
        return {}
    return {str(c["id"]): " ".join(str(c["text"]).split()) for c in guide.get("clauses") or []
            if isinstance(c, dict) and c.get("id") and c.get("text")}
