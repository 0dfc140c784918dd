from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import numpy as np
import pytest
from groundswell.core.errors import ConfigurationError
from groundswell.core.protocols import Embedder
from groundswell.embeddings import EmbeddingServiceError, OpenAIEmbedder, build_embedder

DIM = 8


def fake_vector(text: str) -> list[float]:
    """Deterministic, deliberately not unit-length."""
    rng = np.random.default_rng(sum(text.encode()) + len(text))
    return (rng.normal(size=DIM) * 3).tolist()


@dataclass
class FakeOpenAI:
    """A real HTTP server on 127.0.0.1 speaking the OpenAI embeddings wire format."""

    failures: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # served first, in order
    requests: list[dict[str, Any]] = field(default_factory=list)
    dimension: int = DIM
    shuffle: bool = True

    def respond(self, handler: BaseHTTPRequestHandler) -> None:
        body = json.loads(handler.rfile.read(int(handler.headers["Content-Length"])))
        self.requests.append({"path": handler.path, "auth": handler.headers.get("Authorization"), "body": body})
        if self.failures:
            status, headers = self.failures.pop(0)
            self._send(handler, status, {"error": {"message": "try later"}}, headers)
            return
        data = [
            {"object": "embedding", "index": i, "embedding": fake_vector(text)[: self.dimension]}
            for i, text in enumerate(body["input"])
        ]
        if self.shuffle:
            data.reverse()
        usage = {"prompt_tokens": 1, "total_tokens": 1}
        self._send(handler, 200, {"object": "list", "data": data, "model": body["model"], "usage": usage}, {})

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, payload: Any, headers: dict[str, str]) -> None:
        raw = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(raw)))
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(raw)


@pytest.fixture
def fake() -> FakeOpenAI:
    return FakeOpenAI()


@pytest.fixture
def base_url(fake: FakeOpenAI) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            fake.respond(self)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def embedder(base_url: str, sleeps: list[float]) -> Iterator[OpenAIEmbedder]:
    with OpenAIEmbedder(
        base_url=base_url, api_key="sk-test", model="text-embedding-3-small", dimension=DIM, sleep=sleeps.append
    ) as client:
        yield client


def test_wire_format_order_and_unit_length(embedder: OpenAIEmbedder, fake: FakeOpenAI) -> None:
    texts = ["export keeps failing", "CSV export times out", "love it"]
    vectors = embedder.embed(texts)
    assert isinstance(embedder, Embedder) and embedder.dimension == DIM
    (request,) = fake.requests
    assert request["path"] == "/v1/embeddings"
    assert request["auth"] == "Bearer sk-test"
    assert request["body"] == {"model": "text-embedding-3-small", "input": texts, "encoding_format": "float"}
    for text, vector in zip(texts, vectors, strict=True):  # the server answered in reverse order
        expected = np.array(fake_vector(text))
        np.testing.assert_allclose(vector, expected / np.linalg.norm(expected), atol=1e-9)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-9)


def test_batches_requests_and_replaces_empty_strings(base_url: str, fake: FakeOpenAI) -> None:
    client = OpenAIEmbedder(base_url=base_url + "/", api_key=None, model="m", dimension=DIM, batch_size=2)
    vectors = client.embed(["a", "", "c", "d", "e"])
    assert len(vectors) == 5
    assert [r["body"]["input"] for r in fake.requests] == [["a", " "], ["c", "d"], ["e"]]
    assert fake.requests[0]["auth"] is None
    assert client.embed([]) == [] and len(fake.requests) == 3


def test_sends_dimensions_when_asked(base_url: str, fake: FakeOpenAI) -> None:
    OpenAIEmbedder(base_url=base_url, api_key="k", model="m", dimension=DIM, send_dimensions=True).embed(["x"])
    assert fake.requests[0]["body"]["dimensions"] == DIM


def test_429_is_retried_honouring_retry_after(embedder: OpenAIEmbedder, fake: FakeOpenAI, sleeps: list[float]) -> None:
    fake.failures = [(429, {"Retry-After": "7"}), (503, {"Retry-After": "2.5"})]
    assert len(embedder.embed(["x"])) == 1
    assert len(fake.requests) == 3
    assert sleeps == [7.0, 2.5]


def test_retry_after_http_date_and_backoff_without_header(
    embedder: OpenAIEmbedder, fake: FakeOpenAI, sleeps: list[float]
) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    fake.failures = [(429, {"Retry-After": when}), (500, {})]
    embedder.embed(["x"])
    assert 25 <= sleeps[0] <= 30
    assert 0 < sleeps[1] <= 60


def test_retry_after_is_capped(base_url: str, fake: FakeOpenAI, sleeps: list[float]) -> None:
    client = OpenAIEmbedder(base_url=base_url, api_key="k", model="m", dimension=DIM, max_wait_s=3, sleep=sleeps.append)
    fake.failures = [(429, {"Retry-After": "3600"})]
    client.embed(["x"])
    assert sleeps == [3.0]


def test_gives_up_after_max_attempts(base_url: str, fake: FakeOpenAI, sleeps: list[float]) -> None:
    client = OpenAIEmbedder(
        base_url=base_url, api_key="k", model="m", dimension=DIM, max_attempts=3, sleep=sleeps.append
    )
    fake.failures = [(502, {"Retry-After": "0"})] * 5
    with pytest.raises(EmbeddingServiceError, match="HTTP 502") as info:
        client.embed(["x"])
    assert info.value.status == 502
    assert len(fake.requests) == 3 and len(sleeps) == 2


def test_client_errors_are_not_retried(embedder: OpenAIEmbedder, fake: FakeOpenAI) -> None:
    fake.failures = [(400, {})]
    with pytest.raises(EmbeddingServiceError, match="HTTP 400"):
        embedder.embed(["x"])
    assert len(fake.requests) == 1


def test_bad_api_key_is_a_configuration_error(embedder: OpenAIEmbedder, fake: FakeOpenAI) -> None:
    fake.failures = [(401, {})]
    with pytest.raises(ConfigurationError, match="refused the API key"):
        embedder.embed(["x"])
    assert len(fake.requests) == 1


def test_wrong_dimension_is_a_configuration_error(embedder: OpenAIEmbedder, fake: FakeOpenAI) -> None:
    fake.dimension = DIM - 1
    with pytest.raises(ConfigurationError, match="7-dimensional"):
        embedder.embed(["x"])


def test_connection_errors_are_retried_then_reported(sleeps: list[float]) -> None:
    calls: list[httpx.Request] = []

    def refuse(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("refused", request=request)

    client = OpenAIEmbedder(
        base_url="http://127.0.0.1:9/v1",
        api_key="k",
        model="m",
        dimension=DIM,
        transport=httpx.MockTransport(refuse),
        max_attempts=2,
        sleep=sleeps.append,
    )
    with pytest.raises(EmbeddingServiceError, match="unreachable"):
        client.embed(["x"])
    assert len(calls) == 2 and len(sleeps) == 1


def test_injected_transport_and_malformed_answer() -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"nope": []}))
    client = OpenAIEmbedder(
        base_url="http://embed.invalid/v1", api_key="k", model="m", dimension=DIM, transport=transport
    )
    with pytest.raises(EmbeddingServiceError, match="not in the OpenAI format"):
        client.embed(["x"])


def test_build_embedder_openai(base_url: str) -> None:
    built = build_embedder("openai", base_url=base_url, api_key="k", model="m", dimension=DIM)
    assert isinstance(built, OpenAIEmbedder)
    assert built.model_id == "m"
    assert len(built.embed(["x", "y"])) == 2
