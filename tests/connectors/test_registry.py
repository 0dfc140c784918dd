from pathlib import Path

import pytest
from groundswell.connectors.files import FileExportSource
from groundswell.connectors.registry import (
    FILE_SOURCE_DIRS,
    SOURCES,
    build_export_sources,
    build_file_source,
    discover_exports,
)
from groundswell.core.errors import ConfigurationError
from groundswell.core.protocols import FeedbackSource

ALL = ["zendesk", "intercom", "googleplay", "delighted", "gong", "discourse", "salesforce"]


def test_registry_covers_every_documented_source():
    assert list(SOURCES) == ALL
    assert {name: name for name in ALL} == FILE_SOURCE_DIRS


@pytest.mark.parametrize("name", ALL)
def test_each_class_is_a_feedback_source_with_its_default_name(name, tmp_path):
    source = SOURCES[name](tmp_path)
    assert isinstance(source, FeedbackSource)
    assert isinstance(source, FileExportSource)
    assert source.name == name
    assert source.REQUIRED_FIELDS


def test_build_file_source(tmp_path):
    source = build_file_source("gong", tmp_path / "gong", company_domains=["example.org"])
    assert source.name == "gong"
    assert source.path == tmp_path / "gong"
    assert source.company_domains == ("example.org",)
    with pytest.raises(ConfigurationError, match="unknown file source 'jira'"):
        build_file_source("jira", tmp_path, company_domains=[])


def test_discover_exports(tmp_path: Path):
    for folder in ("salesforce", "zendesk", "_truth", "unrelated"):
        (tmp_path / folder).mkdir()
    (tmp_path / "gong").write_text("a file, not a folder")
    assert discover_exports(tmp_path) == ["zendesk", "salesforce"]
    assert discover_exports(tmp_path / "missing") == []
    sources = build_export_sources(tmp_path, company_domains=["brightloop.io"])
    assert [(s.name, s.path) for s in sources] == [
        ("zendesk", tmp_path / "zendesk"),
        ("salesforce", tmp_path / "salesforce"),
    ]
