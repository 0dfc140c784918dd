"""A scripted "model" for the fake OpenAI server: reads the DATA block like a model would and labels by keywords."""

from __future__ import annotations

import json
from typing import Any

from groundswell.core.classify.llm_prompt import DATA_CLOSE, DATA_OPEN

KEYWORDS = (("csv", "export.csv"), ("excel", "export.xlsx"), ("saml", "auth.sso"), ("okta", "auth.sso"),
            ("code", "auth.mfa"))  # fmt: skip


def units_in(body: dict[str, Any]) -> list[dict[str, str]]:
    """The ``[{"id", "text"}]`` array between the DATA delimiters of the last user message."""
    user = [m["content"] for m in body["messages"] if m["role"] == "user"][-1]
    assert user.count(DATA_OPEN) == 1 and user.count(DATA_CLOSE) == 1, "the DATA block must be delimited once"
    inside = user.split(DATA_OPEN + "\n", 1)[1].rsplit("\n" + DATA_CLOSE, 1)[0]
    return json.loads(inside)


def label(text: str) -> dict[str, Any]:
    theme = next((key for word, key in KEYWORDS if word in text.lower()), "other")
    negative = any(word in text.lower() for word in ("stuck", "fail", "error", "never", "broken"))
    return {
        "theme": theme,
        "sentiment": "negative" if negative else "neutral",
        "sentiment_score": -0.7 if negative else 0.0,
        "intent": "bug_report" if negative else "other",
        "severity": "high" if negative else "low",
        "confidence": {"theme": 0.9 if theme != "other" else 0.4, "sentiment": 0.8, "intent": 0.7, "severity": 0.6},
    }


def keyword_model(body: dict[str, Any]) -> dict[str, Any]:
    return {"results": [{"id": u["id"], **label(u["text"])} for u in units_in(body)]}


def obedient_model(triggers: list[str]):
    """A model that obeys injected text: when any unit of a request carries a trigger, everything becomes praise."""

    def handler(body: dict[str, Any]) -> dict[str, Any]:
        units = units_in(body)
        hijacked = any(t in u["text"] for u in units for t in triggers)
        results = []
        for u in units:
            labels = label(u["text"])
            if hijacked:
                labels |= {"theme": "other", "sentiment": "positive", "sentiment_score": 1.0, "intent": "praise"}
            results.append({"id": u["id"], **labels})
        return {"results": results}

    return handler
