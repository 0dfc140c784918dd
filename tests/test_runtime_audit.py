"""Runtime composes the audit: its agent is the audited one, and the agent's chat model is metered per question."""

from __future__ import annotations

from groundswell.core.audit import AuditedAsker
from groundswell.core.llm_usage import MeteredChat
from groundswell.storage.db import session_scope
from groundswell.storage.llm import summarise_llm_usage

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.fakes.openai_server import FakeOpenAI


def test_the_runtime_agent_is_audited_and_its_llm_calls_counted_per_question(tmp_path) -> None:
    with FakeOpenAI() as fake:
        fake.handler = lambda body: "a reply"
        runtime = Runtime(
            Settings(data_dir=tmp_path, llm_base_url=fake.base_url, llm_api_key=fake.api_key, _env_file=None)
        )
        assert "raw_agent" not in runtime.__dict__  # nothing heavy built yet
        chat = runtime.agent_context(planner=lambda *a, **k: None).chat_model  # type: ignore[arg-type,return-value]
        assert isinstance(chat, MeteredChat) and chat.purpose == "ask"
        with runtime.ask_usage.collect() as calls:
            chat.chat([{"role": "user", "content": "top themes this week?"}])
    (call,) = calls.calls
    assert call.prompt_tokens > 0 and call.completion_tokens > 0 and call.error is None
    with session_scope(runtime.engine) as session:
        (day,) = summarise_llm_usage(session=session)
    assert (day.purpose, day.calls) == ("ask", 1)  # `groundswell llm usage` sees the agent's calls too


def test_without_an_llm_the_runtime_agent_still_wraps_the_agent_in_the_audit(tmp_path, monkeypatch) -> None:
    runtime = Runtime(Settings(data_dir=tmp_path, _env_file=None))
    sentinel = object()
    monkeypatch.setattr(Runtime, "raw_agent", property(lambda self: sentinel))
    assert isinstance(runtime.agent, AuditedAsker) and runtime.agent.inner is sentinel
    assert runtime.agent.audit is runtime.audit and runtime.agent.usage is runtime.ask_usage
