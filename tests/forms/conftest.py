"""Make the project root importable when no root-level pytest config does it.

Harmless when a pyproject/conftest at the root already puts it on sys.path.
"""

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)
