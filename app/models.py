"""Imports every model so that the metadata (and Alembic) sees all tables."""
from .audit.models import AccessRecord, Anchor  # noqa: F401
from .events.models import Event  # noqa: F401
from .incidents.models import Incident  # noqa: F401
from .instances.models import Case, CaseChild, CaseLink, ProcessInstance, Task, WaitingMessage  # noqa: F401
from .messages.models import Message  # noqa: F401
from .registry.models import CalendarOverride, ProcessVersion  # noqa: F401
from .users.models import User, UserSession  # noqa: F401
from .organisations.models import Organisation  # noqa: F401
from .access.models import CaseParticipant  # noqa: F401
from .security.models import LoginThrottle  # noqa: F401
from .notify.models import OutgoingMail  # noqa: F401
from .documents.models import Document  # noqa: F401
