"""The file-export sources Groundswell knows, by source name, and how to build them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from groundswell.connectors.files import (
    DelightedExport,
    DiscourseExport,
    FileExportSource,
    GongExport,
    GooglePlayExport,
    IntercomExport,
    SalesforceExport,
    ZendeskExport,
)
from groundswell.connectors.http import HttpSource
from groundswell.connectors.http.appstore import AppStoreSource
from groundswell.connectors.http.delighted import DelightedSource
from groundswell.connectors.http.discourse import DiscourseSource
from groundswell.connectors.http.gong import GongSource
from groundswell.connectors.http.googleplay import GooglePlaySource
from groundswell.connectors.http.hubspot import HubSpotSource
from groundswell.connectors.http.intercom import IntercomSource
from groundswell.connectors.http.salesforce import SalesforceSource
from groundswell.connectors.http.slack_history import SlackHistorySource
from groundswell.connectors.http.typeform import TypeformSource
from groundswell.connectors.http.zendesk import ZendeskSource
from groundswell.core.budgets import BudgetStore
from groundswell.core.errors import ConfigurationError
from groundswell.core.protocols import FeedbackSource

__all__ = [
    "FILE_SOURCE_DIRS",
    "LIVE_SOURCES",
    "SOURCES",
    "build_export_sources",
    "build_file_source",
    "build_live_source",
    "discover_exports",
]

#: API connectors by type (``groundswell sources add NAME --type TYPE``).
LIVE_SOURCES: dict[str, type[HttpSource]] = {
    "zendesk": ZendeskSource,
    "intercom": IntercomSource,
    "slack_history": SlackHistorySource,
    "gong": GongSource,
    "salesforce": SalesforceSource,
    "hubspot": HubSpotSource,
    "appstore": AppStoreSource,
    "googleplay": GooglePlaySource,
    "delighted": DelightedSource,
    "discourse": DiscourseSource,
    "typeform": TypeformSource,
}

SOURCES: dict[str, type[FileExportSource]] = {
    "zendesk": ZendeskExport,
    "intercom": IntercomExport,
    "googleplay": GooglePlayExport,
    "delighted": DelightedExport,
    "gong": GongExport,
    "discourse": DiscourseExport,
    "salesforce": SalesforceExport,
}

# Source name -> its sub-folder of an export directory.
FILE_SOURCE_DIRS: dict[str, str] = {name: name for name in SOURCES}


def build_file_source(
    name: str, path: Path, *, company_domains: Sequence[str], link_base: str | None = None
) -> FeedbackSource:
    """The connector for source ``name`` reading the export folder ``path`` (the source's own sub-folder);
    ``link_base`` is the tenant's URL its citation links go under (none: no links it cannot take from the data)."""
    try:
        source_class = SOURCES[name]
    except KeyError:
        known = ", ".join(sorted(SOURCES))
        raise ConfigurationError(f"unknown file source {name!r}; known sources: {known}") from None
    return source_class(Path(path), company_domains=company_domains, name=name, link_base=link_base)


def discover_exports(root: Path) -> list[str]:
    """Names of the sources whose sub-folder exists under an export directory, in registry order."""
    return [name for name, folder in FILE_SOURCE_DIRS.items() if (Path(root) / folder).is_dir()]


def build_export_sources(
    root: Path, *, company_domains: Sequence[str], link_bases: Mapping[str, str] | None = None
) -> list[FeedbackSource]:
    """One connector per source folder found under an export directory."""
    bases = link_bases or {}
    return [
        build_file_source(
            name, Path(root) / FILE_SOURCE_DIRS[name], company_domains=company_domains, link_base=bases.get(name)
        )
        for name in discover_exports(root)
    ]


def build_live_source(
    source_type: str,
    *,
    name: str,
    credentials: Mapping[str, str],
    options: Mapping[str, Any] | None = None,
    base_url: str | None = None,
    company_domains: Sequence[str] = (),
    budget_store: BudgetStore | None = None,
) -> HttpSource:
    """The API connector of type ``source_type``, named ``name`` (several accounts of one type may coexist);
    its request budgets live in ``budget_store`` (shared by runs and workers) when given."""
    try:
        source_class = LIVE_SOURCES[source_type]
    except KeyError:
        known = ", ".join(sorted(LIVE_SOURCES))
        raise ConfigurationError(f"unknown live source type {source_type!r}; known types: {known}") from None
    return source_class(
        name=name,
        credentials=credentials,
        options=options,
        base_url=base_url,
        company_domains=company_domains,
        budget_store=budget_store,
    )
