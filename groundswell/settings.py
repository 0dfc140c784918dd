"""One typed Settings object, built in entry points and passed down. Nothing reads the environment at import."""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["Settings", "source_credential_names", "source_credentials"]


class Settings(BaseSettings):
    """Everything Groundswell can be told. The embedded default needs none of it."""

    model_config = SettingsConfigDict(env_prefix="GROUNDSWELL_", env_file=".env", extra="ignore")

    data_dir: Path = Field(Path(".groundswell"), description="Where the SQLite file, Chroma folder and exports live.")
    database_url: str | None = Field(None, description="SQLAlchemy URL; e.g. postgresql+psycopg://user@host/db.")
    redis_url: str | None = Field(None, description="redis://host:6379/0 enables Redis locks and caches.")
    chroma_url: str | None = Field(None, description="http://host:8000 switches to a Chroma server.")
    chroma_collection: str = Field("feedback_units", description="Chroma collection holding unit vectors.")

    embedder: str = Field("local", description="'local' (MiniLM shipped in a PyPI package) or 'openai'.")
    embed_batch_size: int = Field(32, ge=1, le=1024, description="Texts per ONNX run (32 is fastest on 2 cores).")
    embedding_model: str = Field("text-embedding-3-small", description="Model name when embedder is 'openai'.")
    embedding_dimension: int = Field(1536, description="Vector size of the 'openai' embedding model.")

    llm_base_url: str | None = Field(None, description="OpenAI-compatible endpoint; unset means no LLM.")
    llm_api_key: SecretStr | None = Field(None, description="API key sent as a Bearer token to the LLM endpoint.")
    llm_model: str = Field("gpt-4o-mini", description="Chat model name at the LLM endpoint.")
    llm_timeout_s: float = Field(30.0, gt=0, description="Seconds to wait for one LLM answer.")
    llm_max_retries: int = Field(
        2, ge=0, le=10, description="Retries of 429/5xx/timeouts (Retry-After honoured, capped)."
    )
    llm_price_input_per_m: float = Field(0.0, ge=0, description="USD per 1M prompt tokens, for cost accounting.")
    llm_price_output_per_m: float = Field(0.0, ge=0, description="USD per 1M completion tokens, for cost accounting.")
    llm_daily_budget_usd: float | None = Field(
        None, gt=0, description="USD the LLM may spend per UTC day across all workers; unset: no limit."
    )
    llm_classify_batch_size: int = Field(20, ge=1, le=200, description="Feedback units per LLM classify request.")
    classifier: Literal["offline", "llm"] = Field(
        "offline", description="'offline' or 'llm' (takes effect only when an LLM base URL is set)."
    )

    pii_key: SecretStr | None = Field(
        None, description="Key for stable pseudonyms and the encrypted PII vault; unset: a key file in the data dir."
    )
    company_domains: list[str] = Field(
        default_factory=list,
        description="Your own email domains: authors on them are agents or reps, never customers.",
    )
    source_link_bases: dict[str, str] = Field(
        default_factory=dict,
        description='File source -> your tenant\'s URL its citation links go under, JSON: {"zendesk": '
        '"https://acme.zendesk.com", "salesforce": "https://acme.my.salesforce.com", "intercom": '
        '"https://app.intercom.com/a/inbox/<workspace>", "discourse": "https://community.acme.com"}; '
        "unset: no link unless the record carries its own URL.",
    )
    viewers: dict[str, dict[str, Any]] = Field(
        default_factory=dict,
        description='Who may ask what (JSON): {"sam": {"role": "restricted", "segments": ["SMB"], "sources": '
        '["zendesk"], "accounts": null, "can_reveal_pii": false}}; a missing scope is unrestricted.',
    )
    viewers_file: Path | None = Field(None, description="A YAML/JSON roles file with the same map (settings win).")
    cli_viewer: str = Field("cli", description="`groundswell ask` without --as: an admin without PII reveal.")
    agent_as_of: datetime | None = Field(None, description="Fixed 'now' for relative windows (demos, evals).")
    api_rate_per_s: float = Field(2.0, gt=0, description="REST/MCP: requests per second refilled per API token.")
    api_rate_burst: int = Field(20, ge=1, description="REST/MCP: requests a token may make at once (bucket size).")
    api_token_days: int = Field(90, ge=1, description="`groundswell tokens create` default lifetime in days.")
    api_ticket_roles: list[str] = Field(
        default_factory=lambda: ["admin", "analyst"],
        description="Viewer roles whose API tokens may confirm (file) a drafted ticket.",
    )
    mcp_allowed_hosts: list[str] = Field(
        default_factory=list,
        description='`/mcp` Host header allow-list against DNS rebinding (e.g. ["gs.example.com"]); empty: any host '
        "(bearer tokens still required).",
    )
    api_draft_ttl_s: int = Field(3600, ge=1, description="How long an API ticket draft waits for its confirm call.")

    ticket_tracker: str = Field(
        "local", description="Where tickets are filed: 'jira', 'linear' or 'local' (the database)."
    )
    ticket_routing_path: Path | None = Field(
        None, description="YAML routing rules: theme -> team -> owner and project."
    )
    tracker_timeout_s: float = Field(
        10.0, gt=0, description="Timeout of each Jira/Linear call; a failure keeps a draft."
    )
    jira_url: str | None = Field(None, description="https://your-domain.atlassian.net enables the Jira tracker.")
    jira_email: str | None = Field(None, description="The Jira account the API token belongs to.")
    jira_api_token: SecretStr | None = None
    jira_project: str = Field("GS", description="Default Jira project key (routing rules may pick another).")
    jira_issue_type: str = Field("Task", description="Issue type of filed tickets.")
    linear_api_key: SecretStr | None = Field(None, description="A Linear API key enables the Linear tracker.")
    linear_team_id: str | None = Field(None, description="Default Linear team id (routing rules may pick another).")
    linear_url: str = Field("https://api.linear.app", description="Linear API base URL.")

    alert_channel: str | None = Field(
        None, description="Slack channel for spike alerts; unset: alerts are only stored."
    )
    admin_channel: str | None = Field(
        None,
        description="Slack channel (or an admin's user id: a DM) for operator alerts such as stale sources; "
        "unset: the alert channel.",
    )
    spike_sensitivity: float = Field(
        4.0, gt=0, description="Spike score threshold: lower alerts more, higher alerts less."
    )
    spike_interval_minutes: int = Field(
        60, ge=5, description="How often spike detection runs (and its 24 h window slides)."
    )
    alert_budget_per_day: int = Field(
        3, ge=0, description="Spike alerts per channel per day; more are rolled up weekly."
    )
    sync_interval_minutes: int = Field(60, ge=1, description="Default interval of each source's sync job.")
    source_intervals: dict[str, int] = Field(
        default_factory=dict, description='Per-source sync interval in minutes, e.g. {"zendesk": 15}.'
    )
    ticket_sync_minutes: int = Field(15, ge=1, description="How often open tickets are checked for closure.")
    retention_days: int | None = Field(
        None, ge=1, description="Delete records (and their units) older than this; unset keeps all. The '*' default."
    )
    retention: str = Field(
        "",
        description="Per source and per field, e.g. 'zendesk:365,appstore:730,*.raw_payload:90,*.rejected_raw:30'.",
    )
    audit_retention_days: int = Field(
        365, ge=1, description="Delete audit events of questions and refusals older than this (a daily job)."
    )
    job_lock_ttl_s: float = Field(60.0, gt=0, description="Lease of a job's Redis lock (renewed while it runs).")
    account_csms: dict[str, str] = Field(
        default_factory=dict,
        description="Account CRM id or name -> CSM email, JSON; told in Slack when a ticket on their feedback closes.",
    )
    log_format: Literal["text", "json"] = Field(
        "text", description="Logs of serve/socket/worker on stderr: 'text' or 'json' (one object a line)."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field("INFO", description="Lowest level logged.")
    worker_metrics_port: int | None = Field(
        None, ge=0, le=65535, description="`groundswell worker` serves its own counters on this port's /metrics."
    )
    worker_metrics_host: str = Field(
        "127.0.0.1", description="Interface of the worker's /metrics (0.0.0.0 in compose)."
    )
    metrics_cache_s: float = Field(
        15.0, ge=0, description="Seconds a /metrics scrape reuses the database snapshot (0: read it every scrape)."
    )
    embedded_scheduler: bool = Field(
        True, description="`groundswell serve` runs the jobs in-process (one process only)."
    )

    push_secrets: dict[str, SecretStr] = Field(
        default_factory=dict,
        description='Push sources and their HMAC secrets, JSON: {"myapp": "secret"}; POST /ingest/{source}.',
    )
    push_max_batch: int = Field(500, ge=1, description="Records per push request at most (413 beyond).")
    push_replay_window_s: int = Field(300, ge=1, description="Signed push requests older than this are refused.")
    push_max_body_bytes: int = Field(
        5_000_000, ge=1_000, description="Push request bodies beyond this are refused (413) while being read."
    )
    slack_bot_token: SecretStr | None = Field(None, description="Bot token (xoxb-…) of the Slack app.")
    slack_signing_secret: SecretStr | None = Field(None, description="Signing secret: every Slack request is checked.")
    slack_app_token: SecretStr | None = Field(None, description="App-level token (xapp-…) for `groundswell socket`.")
    slack_api_url: str = Field("https://slack.com/api/", description="Slack Web API base URL (a fake in tests).")
    slack_command: str = Field("/groundswell", description="The slash command's name, as in the app manifest.")
    slack_allowed_teams: list[str] = Field(
        default_factory=list, description="Workspace (team) ids served; empty: only the bot token's own workspace."
    )
    slack_user_roles: dict[str, str] = Field(
        default_factory=dict, description="Slack user id (U…) or user group id (S…) -> role name."
    )
    slack_default_role: str = Field("member", description="Role of Slack users not listed in slack_user_roles.")
    slack_role_scopes: dict[str, dict[str, Any]] = Field(
        default_factory=lambda: {"admin": {"can_reveal_pii": True}},
        description='Role -> scope: {"segments": [...], "sources": [...], "accounts": [...], "can_reveal_pii": bool}.',
    )
    slack_admin_roles: list[str] = Field(
        default_factory=lambda: ["admin"], description="Roles that see source health and the review queue in App Home."
    )
    slack_reviewer_roles: list[str] = Field(
        default_factory=lambda: ["reviewer"],
        description="Roles (besides the admin roles) that review low-confidence labels in App Home and from sources.",
    )
    slack_review_page_size: int = Field(5, ge=1, le=15, description="Units per page of the App Home review queue.")
    slack_team_owners: dict[str, str] = Field(
        default_factory=dict, description="Owning team (of a theme) -> Slack user id preselected as ticket owner."
    )
    slack_ticket_trackers: list[str] = Field(
        default_factory=lambda: ["local"], description="Trackers offered in the Create ticket modal."
    )
    slack_post_interval_s: float = Field(
        1.0, ge=0, description="Minimum seconds between two chat.postMessage calls to one channel."
    )
    demo_seed: int = 7
    demo_records: int = 20_000
    demo_days: int = 180

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "groundswell.db"

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.sqlite_path}"

    @property
    def chroma_path(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def pii_key_path(self) -> Path:
        return self.data_dir / "pii.key"

    @property
    def checkpoint_path(self) -> Path:
        return self.data_dir / "checkpoints.sqlite"

    @property
    def exports_dir(self) -> Path:
        return self.data_dir / "exports"


def source_credentials(name: str, keys: Iterable[str]) -> dict[str, str]:
    """A live source's secrets from ``GROUNDSWELL_<NAME>_<KEY>`` (e.g. GROUNDSWELL_ZENDESK_TOKEN); only the
    ones set. They are never stored in the database nor printed."""
    prefix = "GROUNDSWELL_" + "".join(c if c.isalnum() else "_" for c in name).upper() + "_"
    found = {key: os.environ.get(prefix + key.upper(), "") for key in keys}
    return {key: value for key, value in found.items() if value}


def source_credential_names(name: str, keys: Iterable[str]) -> list[str]:
    """The environment variable names ``source_credentials`` reads (to tell a user what to set)."""
    prefix = "GROUNDSWELL_" + "".join(c if c.isalnum() else "_" for c in name).upper() + "_"
    return [prefix + key.upper() for key in keys]
