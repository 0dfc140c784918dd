"""All tables, one module per layer, registered on one SQLModel metadata. Times are aware UTC.

Import tables from here (``from storage.models import FeedbackUnit``); the modules are an implementation detail.
"""

from groundswell.storage.models.alerts import *  # noqa: F403
from groundswell.storage.models.api import *  # noqa: F403
from groundswell.storage.models.columns import _json, _text  # noqa: F401  (shared column helpers)
from groundswell.storage.models.identity import *  # noqa: F403
from groundswell.storage.models.ingestion import *  # noqa: F403
from groundswell.storage.models.live import *  # noqa: F403
from groundswell.storage.models.llm import *  # noqa: F403
from groundswell.storage.models.pipeline import *  # noqa: F403
from groundswell.storage.models.privacy import *  # noqa: F403
from groundswell.storage.models.slack import *  # noqa: F403
from groundswell.storage.models.taxonomy import *  # noqa: F403
from groundswell.storage.models.units import *  # noqa: F403
from groundswell.storage.models.workflow import *  # noqa: F403
