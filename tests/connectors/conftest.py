"""Fixtures of the connector tests: a writable copy of each source's fixture folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.connectors.helpers import copy_fixture


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Callable[[str], Path]:
    return lambda source: copy_fixture(source, tmp_path)
