"""The process owners' modeler: edit, validate and deploy diagram versions; compare versions;
move running cases onto a newer version when that is safe.

``init_modeler`` registers the JSON endpoints (``api.py``) and the pages (``pages.py``).
"""
from __future__ import annotations


def init_modeler(app) -> None:
    from ..http import csrf
    from .api import modeler_api
    from .pages import modeler_pages
    from . import form_words  # noqa: F401  (its views live on modeler_pages)

    csrf.exempt(modeler_api)      # it checks CSRF itself for cookie-authenticated writes, like app.api
    app.register_blueprint(modeler_api)
    app.register_blueprint(modeler_pages)
