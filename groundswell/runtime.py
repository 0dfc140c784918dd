"""The composition root: builds every dependency from Settings, once, lazily."""

from __future__ import annotations

import secrets
from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cached_property, partial
from pathlib import Path
from typing import Any

from groundswell.connectors.http import HttpSource
from groundswell.connectors.registry import (
    FILE_SOURCE_DIRS,
    LIVE_SOURCES,
    build_file_source,
    build_live_source,
    discover_exports,
)
from groundswell.connectors.trackers import JiraTracker, LinearTracker
from groundswell.core.audit import AuditedAsker, AuditLog, ScopedUsageLog
from groundswell.core.budgets import BudgetStore, SpendLimit
from groundswell.core.classify.llm import LlmUnitClassifier, UnitLabeller
from groundswell.core.classify.units import UnitClassifier
from groundswell.core.errors import ConfigurationError
from groundswell.core.llm_usage import MeteredChat, Pricing
from groundswell.core.privacy import PiiDetector, Privacy, Redactor, Vault
from groundswell.core.protocols import ChatModel, Embedder, FeedbackSource, VectorIndex
from groundswell.core.query import Viewer
from groundswell.core.taxonomy import Taxonomy
from groundswell.core.telemetry import TelemetryHub
from groundswell.core.tickets import RoutingRules, TicketTracker, load_routing
from groundswell.embeddings import build_embedder
from groundswell.graph.agent import Agent
from groundswell.graph.checkpoint import build_checkpointer, close_checkpointer, forget_threads
from groundswell.graph.context import AgentContext, Planner
from groundswell.graph.viewers import default_viewer, load_viewers
from groundswell.llm import OpenAIChatModel
from groundswell.settings import Settings, source_credentials
from groundswell.storage.access_log import DatabaseAuditSink
from groundswell.storage.budgets import build_budget_store
from groundswell.storage.cache import Cache, build_cache
from groundswell.storage.db import Engine, create_db_engine, migrate, session_scope
from groundswell.storage.llm import DatabaseLlmLedger
from groundswell.storage.models import Source
from groundswell.storage.people import list_person_names
from groundswell.storage.raw import list_sources
from groundswell.storage.rekey import rekey_if_needed
from groundswell.storage.review import reviewed_examples, reviewed_signals
from groundswell.storage.taxonomy import get_taxonomy
from groundswell.storage.tickets import LocalTracker
from groundswell.storage.vectors import ChromaVectorIndex

__all__ = ["Runtime", "build_runtime"]

KNOWN_NAMES_LIMIT = 20_000  # people whose names are always redacted; more recent first


class Runtime:
    """What entry points hand to jobs, the agent and the bot. Heavy parts load on first use."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.telemetry = TelemetryHub()  # entry points attach their recorder (Prometheus in `serve`, `worker`)

    @cached_property
    def engine(self) -> Engine:
        engine = create_db_engine(self.settings.resolved_database_url)
        migrate(engine)
        outcome = rekey_if_needed(engine, lambda: self.pii_key)  # 16-bit pseudonyms of older versions -> 64-bit
        if outcome is not None and outcome.mapping:  # conversations holding old tokens could not be revealed
            outcome.rows["conversation_threads"] = self.forget_conversations(list(outcome.mapping))
        return engine

    def forget_conversations(self, needles: list[str]) -> int:
        """Delete the agent's conversation threads whose state mentions any of ``needles``; how many."""
        s = self.settings
        saver = build_checkpointer(database_url=s.database_url, sqlite_path=s.checkpoint_path)
        try:
            return forget_threads(saver, needles)
        finally:
            close_checkpointer(saver)

    @cached_property
    def embedder(self) -> Embedder:
        s = self.settings
        if s.embedder == "openai":
            return build_embedder(
                "openai",
                base_url=s.llm_base_url or "",
                api_key=s.llm_api_key.get_secret_value() if s.llm_api_key else "",
                model=s.embedding_model,
                dimension=s.embedding_dimension,
            )
        return build_embedder("local", batch_size=s.embed_batch_size)

    @cached_property
    def vectors(self) -> VectorIndex:
        s = self.settings
        if s.chroma_url:
            return ChromaVectorIndex(url=s.chroma_url, collection=s.chroma_collection)
        return ChromaVectorIndex(path=s.chroma_path, collection=s.chroma_collection)

    @cached_property
    def pii_key(self) -> bytes:
        """The configured key, else one kept in a 0600 file in the data dir (created on first use)."""
        if self.settings.pii_key:
            return self.settings.pii_key.get_secret_value().encode()
        path = self.settings.pii_key_path
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
            path.chmod(0o600)
        return path.read_text().strip().encode()

    @cached_property
    def known_person_names(self) -> list[str]:
        """The identity graph's display names, read once per run (the first time privacy is needed)."""
        with session_scope(self.engine) as session:
            return list_person_names(session=session, limit=KNOWN_NAMES_LIMIT)

    @cached_property
    def privacy(self) -> Privacy:
        detector = PiiDetector(known_names=self.known_person_names)
        return Privacy(redactor=Redactor(detector, self.pii_key), vault=Vault(self.pii_key))

    @cached_property
    def chat_model(self) -> ChatModel | None:
        """The configured OpenAI-compatible chat endpoint; None (offline, no network) without a base URL."""
        s = self.settings
        if not s.llm_base_url:
            return None
        return OpenAIChatModel(
            base_url=s.llm_base_url,
            api_key=s.llm_api_key.get_secret_value() if s.llm_api_key else None,
            model=s.llm_model,
            timeout_s=s.llm_timeout_s,
            max_retries=s.llm_max_retries,
        )

    @property
    def llm_pricing(self) -> Pricing:
        return Pricing(self.settings.llm_price_input_per_m, self.settings.llm_price_output_per_m)

    @cached_property
    def llm_ledger(self) -> DatabaseLlmLedger:
        """The database as label cache and LLM usage log."""
        return DatabaseLlmLedger(self.engine)

    @cached_property
    def unit_classifier(self) -> UnitLabeller | None:
        """Fitted on the latest taxonomy version and its reviewed labels; None until a taxonomy is imported.
        With ``classifier=llm`` and an LLM configured, the LLM labels units; the offline classifier is its
        fallback, fitted only if a unit needs it."""
        with session_scope(self.engine) as session:
            taxonomy = get_taxonomy(session=session)
        if taxonomy is None:
            return None
        if self.settings.classifier != "llm" or self.chat_model is None:
            return self._fit_offline(taxonomy)
        return LlmUnitClassifier(
            taxonomy,
            self.chat_model,
            lambda: self._fit_offline(taxonomy),
            cache=self.llm_ledger,
            usage=self.llm_ledger,
            pricing=self.llm_pricing,
            spend_limit=self.llm_spend_limit,
            batch_size=self.settings.llm_classify_batch_size,
        )

    def fit_unit_classifier(
        self, *, hold_out: Collection[str] = (), version: int | None = None
    ) -> UnitClassifier | None:
        """A fresh offline classifier for taxonomy ``version`` (default: the latest), trained on its reviewed labels
        (older versions' labels carried through the migration maps) except those of ``hold_out`` units."""
        with session_scope(self.engine) as session:
            taxonomy = get_taxonomy(session=session, version=version)
        return None if taxonomy is None else self._fit_offline(taxonomy, hold_out=hold_out)

    def _fit_offline(self, taxonomy: Taxonomy, *, hold_out: Collection[str] = ()) -> UnitClassifier:
        with session_scope(self.engine) as session:
            reviewed = reviewed_examples(session=session, version=taxonomy.version, exclude=hold_out)
            signals = reviewed_signals(session=session, version=taxonomy.version, exclude=hold_out)
        return UnitClassifier(taxonomy, self.embedder, reviewed=reviewed, reviewed_signals=signals)

    @cached_property
    def cache(self) -> Cache:
        return build_cache(self.settings.redis_url)

    @cached_property
    def budget_store(self) -> BudgetStore:
        """API rate buckets and LLM spend, shared by every run and worker (Redis if configured, else the database)."""
        return build_budget_store(self.engine, self.cache, sqlite_path=self.settings.data_dir / "budgets.sqlite")

    @cached_property
    def llm_spend_limit(self) -> SpendLimit | None:
        """The LLM's daily USD cap (``GROUNDSWELL_LLM_DAILY_BUDGET_USD``), None when unlimited."""
        limit = self.settings.llm_daily_budget_usd
        return None if limit is None else SpendLimit(self.budget_store, name="llm", limit=limit)

    @cached_property
    def routing(self) -> RoutingRules:
        return load_routing(self.settings.ticket_routing_path)

    @cached_property
    def trackers(self) -> dict[str, TicketTracker]:
        """The local tracker always; Jira and Linear when configured. Nothing is contacted here."""
        s = self.settings
        trackers = self.configured_trackers
        if s.ticket_tracker not in trackers:
            raise ConfigurationError(
                f"GROUNDSWELL_TICKET_TRACKER={s.ticket_tracker} but that tracker is not configured "
                f"(configured: {', '.join(sorted(trackers))})"
            )
        return trackers

    @cached_property
    def configured_trackers(self) -> dict[str, TicketTracker]:
        """The trackers configured, without checking the default one is among them (``privacy forget`` uses
        whichever it can reach)."""
        s = self.settings
        trackers: dict[str, TicketTracker] = {"local": LocalTracker(self.engine)}
        if s.jira_url and s.jira_email and s.jira_api_token:
            trackers["jira"] = JiraTracker(
                base_url=s.jira_url,
                email=s.jira_email,
                api_token=s.jira_api_token.get_secret_value(),
                project_key=s.jira_project,
                issue_type=s.jira_issue_type,
                timeout_s=s.tracker_timeout_s,
            )
        if s.linear_api_key and s.linear_team_id:
            trackers["linear"] = LinearTracker(
                api_key=s.linear_api_key.get_secret_value(),
                team_id=s.linear_team_id,
                base_url=s.linear_url,
                timeout_s=s.tracker_timeout_s,
            )
        return trackers

    def file_sources(self, root: Path, names: Sequence[str] | None = None) -> list[FeedbackSource]:
        """Importers for the export folders under ``root`` (all found, or just ``names``)."""
        found = discover_exports(root)
        unknown = sorted(set(names or ()) - set(found))
        if unknown:
            raise ConfigurationError(
                f"no export folder for {', '.join(unknown)} under {root} (found: {', '.join(found) or 'none'})"
            )
        chosen = [name for name in found if not names or name in names]
        domains, bases = self.settings.company_domains, self.settings.source_link_bases
        return [
            build_file_source(name, root / FILE_SOURCE_DIRS[name], company_domains=domains, link_base=bases.get(name))
            for name in chosen
        ]

    # --- the agent -----------------------------------------------------------------------------------------------

    @cached_property
    def viewers(self) -> dict[str, Viewer]:
        return load_viewers(self.settings.viewers, self.settings.viewers_file)

    def viewer(self, name: str | None = None) -> Viewer:
        """A configured viewer by name; without a name, the CLI viewer (an admin without PII reveal by default)."""
        wanted = name or self.settings.cli_viewer
        if wanted in self.viewers:
            return self.viewers[wanted]
        if name is None:
            return default_viewer(wanted)
        known = ", ".join(sorted(self.viewers)) or "none configured (GROUNDSWELL_VIEWERS)"
        raise ConfigurationError(f"unknown viewer {name!r}; known viewers: {known}")

    def agent_context(self, *, as_of: datetime | None = None, planner: Planner | None = None) -> AgentContext:
        """Real tools over the database; the LLM planner and composer when an endpoint is configured, else the
        deterministic planner and templates."""
        from groundswell.graph.wiring import storage_tools

        chat_model = self.chat_model
        if chat_model is not None:  # each question's tokens and cost go to its audit event
            chat_model = MeteredChat(chat_model, purpose="ask", log=self.ask_usage, pricing=self.llm_pricing)
        if planner is None:
            from groundswell.graph.planner import plan_question
            from groundswell.graph.planner_llm import LLMPlanner

            planner = (
                LLMPlanner(chat_model, embedder=self.embedder).plan
                if chat_model is not None
                else partial(plan_question, embedder=self.embedder)
            )
        tools = storage_tools(self.engine, embedder=self.embedder, vectors=self.vectors, vault=Vault(self.pii_key))
        return AgentContext(
            tools=tools, planner=planner, chat_model=chat_model, as_of=as_of or self.settings.agent_as_of
        )

    @cached_property
    def raw_agent(self) -> Agent:
        """The agent itself: threads persist in the configured database or an SQLite file. Not audited."""
        checkpointer = build_checkpointer(
            database_url=self.settings.database_url, sqlite_path=self.settings.checkpoint_path
        )
        return Agent(self.agent_context(), checkpointer=checkpointer)

    @cached_property
    def ask_usage(self) -> ScopedUsageLog:
        """The agent's LLM calls, collected per question for its audit event and logged in the usage ledger."""
        return ScopedUsageLog(forward=self.llm_ledger)

    @cached_property
    def audit(self) -> AuditLog:
        """Questions and refusals, question text redacted like stored feedback (pseudonyms, no vault entry)."""
        return AuditLog(
            DatabaseAuditSink(self.engine),
            redact=lambda text: self.privacy.redactor.redact(text).text,
            telemetry=self.telemetry,
        )

    @cached_property
    def agent(self) -> AuditedAsker:
        """The agent every host uses (Slack, CLI, MCP, REST, jobs), audited:
        ``agent.ask(question, viewer=..., thread_id=..., surface="cli", user_id=None)``."""
        return AuditedAsker(self.raw_agent, self.audit, usage=self.ask_usage)

    def live_source(self, name: str) -> HttpSource:
        """The API connector configured by ``groundswell sources add`` (credentials from the environment)."""
        with session_scope(self.engine) as session:
            row = session.get(Source, name)
            config = dict(row.config) if row is not None and row.kind == "api" else None
        if config is None:
            raise ConfigurationError(f"no live source {name!r}; add it with: groundswell sources add {name} --type ...")
        return build_live_source_from(name, config, self.settings.company_domains, budget_store=self.budget_store)

    def live_source_names(self) -> list[str]:
        with session_scope(self.engine) as session:
            return [s.name for s in list_sources(session=session) if s.kind == "api"]


def build_live_source_from(
    name: str, config: dict[str, Any], company_domains: Sequence[str], *, budget_store: BudgetStore | None = None
) -> HttpSource:
    """A live source from its stored configuration (type, options, base URL) and its environment credentials;
    its request budgets in ``budget_store`` (shared across runs and workers) when given."""
    source_type = str(config.get("type"))
    keys = LIVE_SOURCES[source_type].CREDENTIALS if source_type in LIVE_SOURCES else ()
    return build_live_source(
        source_type,
        name=name,
        credentials=source_credentials(name, keys),
        options=config.get("options") or {},
        base_url=config.get("base_url"),
        company_domains=company_domains,
        budget_store=budget_store,
    )


def build_runtime(settings: Settings | None = None) -> Runtime:
    return Runtime(settings or Settings())
