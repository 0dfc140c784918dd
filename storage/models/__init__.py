"""All tables, one module per layer, registered on one SQLModel metadata. Times are aware UTC.

Import tables from here (``from storage.models import FeedbackUnit``); the modules are an implementation detail.
"""

from storage.models.alerts import *  # noqa: F403
from storage.models.api import *  # noqa: F403
from storage.models.columns import _json, _text  # noqa: F401  (shared column helpers)
from storage.models.identity import *  # noqa: F403
from storage.models.ingestion import *  # noqa: F403
from storage.models.live import *  # noqa: F403
from storage.models.llm import *  # noqa: F403
from storage.models.pipeline import *  # noqa: F403
from storage.models.privacy import *  # noqa: F403
from storage.models.slack import *  # noqa: F403
from storage.models.taxonomy import *  # noqa: F403
from storage.models.units import *  # noqa: F403
from storage.models.workflow import *  # noqa: F403
