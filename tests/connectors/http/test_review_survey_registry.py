"""The review, survey and community connectors are registered, named after their type and need credentials."""

from __future__ import annotations

import pytest

from connectors.http.base import HttpSource
from connectors.registry import LIVE_SOURCES, build_live_source
from core.errors import ConfigurationError

TYPES = ["appstore", "googleplay", "delighted", "discourse"]


@pytest.mark.parametrize("source_type", TYPES)
def test_registered_with_declared_fields_and_credentials(source_type):
    source_class = LIVE_SOURCES[source_type]
    assert issubclass(source_class, HttpSource) and source_type == source_class.DEFAULT_NAME
    assert source_class.FIELDS.fields and source_class.CREDENTIALS
    credentials = dict.fromkeys(source_class.CREDENTIALS, "x")
    source = build_live_source(
        source_type, name="mine", credentials=credentials, base_url="http://127.0.0.1:9", options={}
    )
    assert source.name == "mine" and "x" not in repr(source)
    with pytest.raises(ConfigurationError, match="missing credentials"):
        build_live_source(source_type, name="mine", credentials={}, base_url="http://127.0.0.1:9")


def test_discourse_needs_the_forum_url():
    with pytest.raises(ConfigurationError, match="no base URL"):
        build_live_source("discourse", name="forum", credentials={"api_key": "k", "api_username": "system"})
