"""Importers for vendor file exports (see docs/export-formats.md): one FeedbackSource per vendor."""

from groundswell.connectors.files.base import FileExportSource
from groundswell.connectors.files.delighted import DelightedExport
from groundswell.connectors.files.discourse import DiscourseExport
from groundswell.connectors.files.gong import GongExport
from groundswell.connectors.files.googleplay import GooglePlayExport
from groundswell.connectors.files.intercom import IntercomExport
from groundswell.connectors.files.salesforce import SalesforceExport
from groundswell.connectors.files.zendesk import ZendeskExport

__all__ = [
    "DelightedExport",
    "DiscourseExport",
    "FileExportSource",
    "GongExport",
    "GooglePlayExport",
    "IntercomExport",
    "SalesforceExport",
    "ZendeskExport",
]
