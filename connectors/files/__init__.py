"""Importers for vendor file exports (see docs/export-formats.md): one FeedbackSource per vendor."""

from connectors.files.base import FileExportSource
from connectors.files.delighted import DelightedExport
from connectors.files.discourse import DiscourseExport
from connectors.files.gong import GongExport
from connectors.files.googleplay import GooglePlayExport
from connectors.files.intercom import IntercomExport
from connectors.files.salesforce import SalesforceExport
from connectors.files.zendesk import ZendeskExport

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
