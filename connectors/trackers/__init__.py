"""Issue trackers (Jira, Linear): small classes speaking the vendor API, configured through ``__init__``."""

from groundswell.connectors.trackers.jira import JiraTracker
from groundswell.connectors.trackers.linear import LinearTracker

__all__ = ["JiraTracker", "LinearTracker"]
