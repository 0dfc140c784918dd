"""One exception hierarchy for the whole project.

GroundswellError
├── ConfigurationError      settings missing or inconsistent; the message says which
├── ModelAssetError         an embedded model file is missing or its checksum is wrong
├── SourceError             a connector could not read its source
│   ├── CredentialsExpired  auth failed: never retried, surfaced as "credentials expired for X"
│   ├── RateLimited         the source said slow down (carries retry_after seconds)
│   └── MalformedRecord     one record cannot be parsed; the run goes on
├── SchemaDriftError        a field a connector relies on is missing or retyped
├── TrackerError            Jira/Linear refused or failed a call; ``retryable`` says whether a retry may work
│   ├── TrackerAuthFailed   401/403: credentials wrong or expired (not retryable until fixed)
│   ├── TrackerRateLimited  429 (carries retry_after seconds)
│   ├── TrackerUnavailable  down, 5xx or timed out
│   └── TrackerRejected     400: the tracker refused a field (carries field -> message)
├── StorageError            the database or vector index refused an operation
└── LanguageModelError      the LLM endpoint failed after bounded retries, timed out or answered nonsense
    └── LanguageModelCredentialsRefused   401/403: "credentials for the language model at URL were refused"
                                          (also a ConfigurationError: never retried)
└── QueryError              a query plan the analytics tools cannot run (unknown theme, taxonomy version)
"""

from __future__ import annotations

__all__ = [
    "ChatPostError",
    "ConfigurationError",
    "CredentialsExpired",
    "GroundswellError",
    "LanguageModelCredentialsRefused",
    "LanguageModelError",
    "MalformedRecord",
    "ModelAssetError",
    "QueryError",
    "RateLimited",
    "SchemaDriftError",
    "SourceError",
    "StorageError",
    "TrackerAuthFailed",
    "TrackerError",
    "TrackerRateLimited",
    "TrackerRejected",
    "TrackerUnavailable",
]


class GroundswellError(Exception):
    """Base of every error Groundswell raises on purpose."""


class ConfigurationError(GroundswellError):
    """Settings are missing or inconsistent."""


class ModelAssetError(GroundswellError):
    """A model file shipped in a package is missing or corrupt."""


class SourceError(GroundswellError):
    """A source could not be read."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"{source}: {message}")
        self.source = source


class CredentialsExpired(SourceError):
    """The source refused our credentials."""

    def __init__(self, source: str, detail: str = "") -> None:
        super().__init__(source, f"credentials expired for source {source}" + (f" ({detail})" if detail else ""))


class RateLimited(SourceError):
    """The source asked us to slow down."""

    def __init__(self, source: str, retry_after: float) -> None:
        super().__init__(source, f"rate limited, retry after {retry_after:.1f}s")
        self.retry_after = retry_after


class MalformedRecord(SourceError):
    """One record could not be parsed."""


class SchemaDriftError(GroundswellError):
    """A field a connector relies on is missing, renamed or retyped."""


class StorageError(GroundswellError):
    """The database or vector index refused an operation."""


class LanguageModelError(GroundswellError):
    """The language model endpoint failed (after bounded retries), timed out, or answered outside its format."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class LanguageModelCredentialsRefused(LanguageModelError, ConfigurationError):
    """The language model endpoint refused the API key."""

    def __init__(self, url: str, status: int = 401) -> None:
        super().__init__(f"credentials for the language model at {url} were refused (HTTP {status})", status=status)
        self.url = url


class QueryError(GroundswellError):
    """A query plan names something that does not exist (theme key, taxonomy version) or cannot be run."""


class ChatPostError(GroundswellError):
    """Slack refused a message a scheduled job posted (the job keeps its state and tries again later)."""


class TrackerError(GroundswellError):
    """An issue tracker (Jira, Linear) refused or failed a call."""

    retryable = True

    def __init__(self, tracker: str, message: str) -> None:
        super().__init__(f"{tracker}: {message}")
        self.tracker = tracker


class TrackerAuthFailed(TrackerError):
    """The tracker refused our credentials (401/403)."""

    retryable = False


class TrackerRateLimited(TrackerError):
    """The tracker asked us to slow down (429)."""

    def __init__(self, tracker: str, retry_after: float) -> None:
        super().__init__(tracker, f"rate limited, retry after {retry_after:.0f}s")
        self.retry_after = retry_after


class TrackerUnavailable(TrackerError):
    """The tracker is down, answered 5xx or did not answer in time."""


class TrackerRejected(TrackerError):
    """The tracker refused the ticket's fields (400); ``fields`` maps field name to the tracker's message."""

    retryable = False

    def __init__(self, tracker: str, fields: dict[str, str], message: str = "") -> None:
        detail = "; ".join(f"{name}: {why}" for name, why in sorted(fields.items())) or message or "invalid request"
        super().__init__(tracker, f"rejected the ticket ({detail})")
        self.fields = fields
