"""The demo corpus (tests/graph/agent's session fixture) served to REST and MCP: viewers, tokens, one facade."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from runtime import Runtime, build_runtime
from surfaces.service import Surface
from tests.graph.agent.conftest import Demo, demo  # noqa: F401  (the shared corpus fixture)

VIEWERS = {
    "sam": {"role": "restricted", "sources": ["zendesk", "intercom"], "segments": ["smb"]},
    "ana": {"role": "analyst"},
    "mo": {"role": "member"},
}


@dataclass(frozen=True)
class Served:
    runtime: Runtime
    surface: Surface
    tokens: dict[str, str]  # viewer name -> bearer token


@pytest.fixture(scope="session")
def served(demo: Demo) -> Served:  # noqa: F811
    settings = demo.runtime.settings.model_copy(update={"agent_as_of": demo.as_of, "viewers": VIEWERS,
                                                        "api_rate_burst": 10_000})  # fmt: skip
    runtime = build_runtime(settings)
    surface = Surface(runtime)
    tokens = {name: surface.auth.create(name, days=1).token for name in (*VIEWERS, "cli")}
    return Served(runtime=runtime, surface=surface, tokens=tokens)
