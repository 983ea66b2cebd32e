"""The JSON API under /api/v1: thin handlers over the domain services."""
from flask import Blueprint

api = Blueprint("api", __name__, url_prefix="/api/v1")

from . import auth, instances, messages, models, openapi, tasks, users  # noqa: E402,F401
from . import incidents  # noqa: E402,F401  (failed worker steps)
from . import cases  # noqa: E402,F401  (territories, a case's API twin of its page)
from . import case_search  # noqa: E402,F401  (finding a case: GET /cases)
from . import documents  # noqa: E402,F401  (files attached to cases and tasks)

from .query import refuse_unknown_query  # noqa: E402
api.before_request(refuse_unknown_query)     # after auth's _authenticate: a misspelt filter is refused, not ignored
