"""Slack over HTTP without a web framework in bot/: raw request in, Bolt's response out (api/ hosts it)."""

from __future__ import annotations

from dataclasses import dataclass

from slack_bolt import App, BoltRequest

__all__ = ["HttpReply", "SlackHttpHandler"]


@dataclass(frozen=True)
class HttpReply:
    status: int
    headers: list[tuple[str, str]]
    body: str


class SlackHttpHandler:
    """Hands a raw HTTP request to the Bolt app (which verifies the signature) and returns its reply."""

    def __init__(self, app: App) -> None:
        self.app = app

    def handle(self, *, body: bytes, query: str, headers: dict[str, str]) -> HttpReply:
        request = BoltRequest(body=body.decode("utf-8"), query=query, headers={k: [v] for k, v in headers.items()})
        response = self.app.dispatch(request)
        pairs = [
            (k, v) for k, values in response.headers.items() for v in (values if isinstance(values, list) else [values])
        ]
        return HttpReply(response.status, pairs, response.body)
