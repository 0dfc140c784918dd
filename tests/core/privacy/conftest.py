"""One detector per test session: building Presidio's registry costs a few hundred milliseconds."""

from __future__ import annotations

import pytest
from groundswell.core.privacy import PiiDetector


@pytest.fixture(scope="session")
def detector() -> PiiDetector:
    return PiiDetector(known_names=["Priya Raman"])
