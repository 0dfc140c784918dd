"""Embeddings from any OpenAI-compatible ``POST {base_url}/embeddings`` endpoint, over httpx, with retries."""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx
from groundswell.core.errors import ConfigurationError, GroundswellError
from groundswell.core.retry_after import retry_after_seconds
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt, wait_exponential_jitter

__all__ = ["EmbeddingServiceError", "OpenAIEmbedder"]

_RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


class EmbeddingServiceError(GroundswellError):
    """The embedding endpoint failed (after retries, for transient errors) or answered nonsense."""

    def __init__(self, message: str, *, status: int | None = None, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class OpenAIEmbedder:
    """Text to unit vectors through an OpenAI-compatible embeddings API.

    ``base_url`` is the API root including its version, as in the OpenAI SDK: ``https://api.openai.com/v1``
    or ``http://127.0.0.1:11434/v1``; requests go to ``{base_url}/embeddings``. 429, 408 and 5xx answers
    and connection errors are retried (``max_attempts`` in all), waiting what ``Retry-After`` says when the
    server says it, exponential backoff with jitter otherwise. Vectors are L2-normalised here, whatever
    the server returns, and must have ``dimension`` floats.
    """

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str | None,
        model: str,
        dimension: int,
        transport: httpx.BaseTransport | None = None,
        batch_size: int = 256,
        timeout_s: float = 60.0,
        max_attempts: int = 5,
        max_wait_s: float = 60.0,
        send_dimensions: bool = False,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if dimension < 1 or batch_size < 1 or max_attempts < 1:
            raise ValueError("dimension, batch_size and max_attempts must all be >= 1")
        self.model_id = model
        self.dimension = dimension
        self.batch_size = batch_size
        self.max_attempts = max_attempts
        self.max_wait_s = max_wait_s
        self._model = model
        self._send_dimensions = send_dimensions
        self._sleep = sleep
        self._backoff = wait_exponential_jitter(multiplier=0.5, max=max_wait_s, jitter=0.5)
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(
            base_url=base_url.rstrip("/") + "/", headers=headers, timeout=timeout_s, transport=transport
        )

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One unit vector per text, in input order; sent in batches of ``batch_size``."""
        if isinstance(texts, str):
            raise TypeError("embed() takes a sequence of strings, not a single string")
        vectors: list[list[float]] = []
        for start in range(0, len(texts), self.batch_size):
            vectors.extend(self._embed_batch(list(texts[start : start + self.batch_size])))
        return vectors

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> OpenAIEmbedder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _embed_batch(self, texts: list[str]) -> list[list[float]]:
        # OpenAI rejects empty strings; a single space embeds as "nothing said".
        payload: dict[str, Any] = {
            "model": self._model,
            "input": [text or " " for text in texts],
            "encoding_format": "float",
        }
        if self._send_dimensions:
            payload["dimensions"] = self.dimension
        retrying = Retrying(
            stop=stop_after_attempt(self.max_attempts),
            retry=retry_if_exception(_is_transient),
            wait=self._wait,
            sleep=self._sleep,
            reraise=True,
        )
        body = retrying(self._post, payload)
        return self._parse(body, len(texts))

    def _post(self, payload: dict[str, Any]) -> Any:
        try:
            response = self._client.post("embeddings", json=payload)
        except httpx.TransportError as exc:
            raise EmbeddingServiceError(f"embedding endpoint {self._client.base_url} unreachable: {exc}") from exc
        if response.status_code in (401, 403):
            raise ConfigurationError(
                f"embedding endpoint {self._client.base_url} refused the API key (HTTP {response.status_code})"
            )
        if response.status_code >= 400:
            raise EmbeddingServiceError(
                f"embedding endpoint answered HTTP {response.status_code}: {response.text[:300]}",
                status=response.status_code,
                retry_after=retry_after_seconds(response.headers.get("Retry-After")),
            )
        try:
            return response.json()
        except ValueError as exc:
            raise EmbeddingServiceError(f"embedding endpoint answered non-JSON: {response.text[:300]}") from exc

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, EmbeddingServiceError) and error.retry_after is not None:
            return min(error.retry_after, self.max_wait_s)
        return self._backoff(state)

    def _parse(self, body: Any, expected: int) -> list[list[float]]:
        try:
            items = sorted(body["data"], key=lambda item: item["index"])
            raw = [[float(x) for x in item["embedding"]] for item in items]
        except (KeyError, TypeError, ValueError) as exc:
            raise EmbeddingServiceError(f"embedding response is not in the OpenAI format: {exc!r}") from exc
        if len(raw) != expected:
            raise EmbeddingServiceError(f"embedding endpoint returned {len(raw)} vectors for {expected} texts")
        for vector in raw:
            if len(vector) != self.dimension:
                raise ConfigurationError(
                    f"model {self._model} returns {len(vector)}-dimensional vectors but dimension={self.dimension}"
                    " is configured"
                )
        return [_unit(vector) for vector in raw]


def _is_transient(error: BaseException) -> bool:
    return isinstance(error, EmbeddingServiceError) and (error.status is None or error.status in _RETRY_STATUSES)


def _unit(vector: list[float]) -> list[float]:
    norm = math.sqrt(sum(x * x for x in vector))
    return [x / norm for x in vector] if norm > 0 else vector
