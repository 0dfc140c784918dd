"""The demo corpus (tests/graph/agent's session fixture) served to REST and MCP: viewers, tokens, one facade."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pytest
from groundswell.storage.citations import CitedUnit, get_cited_units
from groundswell.storage.db import session_scope
from groundswell.surfaces.service import Surface

from groundswell.runtime import Runtime, build_runtime
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


def cited_units(served: Served) -> Callable[[Sequence[str]], list[CitedUnit]]:
    """The citation lookup the leak check (`count_leaks`, as `eval answers` runs it) needs."""

    def lookup(ids: Sequence[str]) -> list[CitedUnit]:
        with session_scope(served.runtime.engine) as session:
            return get_cited_units(session=session, ids=ids)

    return lookup
