"""The spine with the LLM classifier (fake OpenAI endpoint on loopback): labels, cache, accounting, fallback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from groundswell.core.classify.llm import LlmUnitClassifier
from groundswell.core.classify.units import CLASSIFIER_NAME, UnitClassifier
from groundswell.core.taxonomy import Taxonomy
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.llm import summarise_llm_usage
from groundswell.storage.models import Classification
from groundswell.storage.taxonomy import get_taxonomy, save_taxonomy
from pydantic import SecretStr
from sqlmodel import delete, select

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.core.classify.llm_script import keyword_model
from tests.core.classify.test_units import THEMES
from tests.fakes.openai_server import FakeOpenAI, api_error
from tests.jobs.fakes import DictIndex, HashEmbedder, ListSource, ticket

SOURCE = [
    ticket("1", ("customer", "The csv export download is stuck for hours")),
    ticket("2", ("customer", "saml error on okta login")),
    ticket("3", ("customer", "Excel mangles every date in the report")),
]


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(handler=keyword_model) as server:
        yield server


def _runtime(tmp_path: Path, **settings: object) -> Runtime:
    runtime = Runtime(Settings(data_dir=tmp_path, llm_max_retries=0, **settings))  # type: ignore[arg-type]
    runtime.__dict__["embedder"] = HashEmbedder()
    runtime.__dict__["vectors"] = DictIndex()
    with session_scope(runtime.engine) as session:
        if get_taxonomy(session=session) is None:
            save_taxonomy(session=session, taxonomy=Taxonomy(1, THEMES))
    return runtime


def _llm(tmp_path: Path, fake: FakeOpenAI, **settings: object) -> Runtime:
    return _runtime(
        tmp_path,
        llm_base_url=fake.base_url,
        llm_api_key=SecretStr(fake.api_key),
        llm_model="gpt-test",
        classifier="llm",
        llm_price_input_per_m=0.15,
        llm_price_output_per_m=0.6,
        **settings,
    )


def _rows(runtime: Runtime) -> list[Classification]:
    with session_scope(runtime.engine) as session:
        return list(session.exec(select(Classification).order_by(Classification.unit_id)))


def test_llm_mode_labels_units_records_usage_and_reruns_from_cache(tmp_path: Path, fake: FakeOpenAI) -> None:
    runtime = _llm(tmp_path, fake)
    report = run_pipeline(runtime=runtime, sources=[ListSource(SOURCE)]).as_dict()
    rows = _rows(runtime)
    assert {r.classifier for r in rows} == {"llm:gpt-test"} and len(rows) == 3
    assert {r.subtheme_key for r in rows} == {"export.csv", "auth.sso", "export.xlsx"}
    assert report["classification"]["classified"] == 3
    # the offline classifier is fitted even when the model answers: every model label is checked against it
    assert "fallback" in runtime.unit_classifier.__dict__ and report["llm"]["fallback_units"] == 0
    assert report["llm"]["llm_units"] == 3 and report["llm"]["calls"] == 1 and report["llm"]["cost_usd"] > 0
    with session_scope(runtime.engine) as session:
        session.exec(delete(Classification))  # type: ignore[call-overload]
    again = _llm(tmp_path, fake)
    report = run_pipeline(runtime=again, sources=[ListSource(SOURCE)]).as_dict()
    assert len(fake.chat_requests) == 1  # the second classification of the same texts cost nothing
    assert report["llm"]["cached_units"] == 3 and report["llm"]["calls"] == 0
    assert [r.subtheme_key for r in _rows(again)] == [r.subtheme_key for r in rows]
    with session_scope(runtime.engine) as session:
        (day,) = summarise_llm_usage(session=session)
    assert (day.purpose, day.calls, day.cached_batches, day.items) == ("classify", 1, 1, 6)


def test_endpoint_down_means_offline_labels_the_error_recorded_and_nothing_lost(tmp_path: Path) -> None:
    with FakeOpenAI(handler=lambda body: api_error(500)) as fake:
        runtime = _llm(tmp_path, fake)
        report = run_pipeline(runtime=runtime, sources=[ListSource(SOURCE)]).as_dict()
    rows = _rows(runtime)
    assert len(rows) == 3 and {r.classifier for r in rows} == {CLASSIFIER_NAME}
    assert report["llm"]["fallback_units"] == 3 and "HTTP 500" in report["llm"]["error_messages"][0]
    assert report["embedded"] == 3 and report["classification"]["classified"] == 3
    with session_scope(runtime.engine) as session:
        (day,) = summarise_llm_usage(session=session)
    assert day.errors == 1 and day.prompt_tokens == 0


def test_offline_mode_makes_no_network_call_even_with_an_endpoint_configured(tmp_path: Path, fake: FakeOpenAI) -> None:
    runtime = _runtime(tmp_path, llm_base_url=fake.base_url, llm_api_key=SecretStr(fake.api_key), classifier="offline")
    report = run_pipeline(runtime=runtime, sources=[ListSource(SOURCE)]).as_dict()
    assert isinstance(runtime.unit_classifier, UnitClassifier) and "llm" not in report
    assert fake.requests == [] and {r.classifier for r in _rows(runtime)} == {CLASSIFIER_NAME}


def test_llm_is_chosen_only_when_an_endpoint_is_configured(tmp_path: Path, fake: FakeOpenAI) -> None:
    plain = _runtime(tmp_path / "a", classifier="llm")
    assert plain.chat_model is None and isinstance(plain.unit_classifier, UnitClassifier)
    assert isinstance(_llm(tmp_path / "b", fake).unit_classifier, LlmUnitClassifier)
    assert fake.requests == []  # building it calls nothing
