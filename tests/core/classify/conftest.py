"""Fixtures for the classification tests."""

from __future__ import annotations

import pytest

from tests.core.classify.toy import HashingEmbedder


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder()
