"""Issue trackers (Jira, Linear): small classes speaking the vendor API, configured through ``__init__``."""

from connectors.trackers.jira import JiraTracker
from connectors.trackers.linear import LinearTracker

__all__ = ["JiraTracker", "LinearTracker"]
