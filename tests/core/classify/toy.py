"""A fast stand-in embedder (hashed words and char trigrams) and a tiny themed fixture set for the unit tests."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

THEMES = {
    "billing": [
        "I was charged twice on my invoice",
        "the invoice shows the wrong amount",
        "refund the duplicate charge on my card",
        "billing charged my card two times",
        "please fix the invoice total",
        "why is my invoice amount higher this month",
        "card charged but no invoice received",
        "need a refund for the extra charge",
    ],
    "login": [
        "I cannot log in to my account",
        "password reset link does not work",
        "login page keeps rejecting my password",
        "two factor code fails at login",
        "locked out of my account after password change",
        "sso login loops back to the sign in page",
        "can't sign in since the password reset",
        "login fails with my correct password",
    ],
    "export": [
        "csv export is empty",
        "export to excel fails",
        "the export file is missing columns",
        "scheduled export never arrives",
        "export download times out",
        "exported csv has broken characters",
        "export button does nothing",
        "the report export stops halfway",
    ],
    "mobile": [
        "the android app crashes on launch",
        "iphone app freezes on the dashboard",
        "mobile app notifications never arrive",
        "the app on my phone is very slow",
        "android app logs me out on the phone",
        "mobile app crashes when I open a photo",
        "phone app shows a blank screen",
        "the ios app drains my phone battery",
    ],
}
HELD_OUT = [
    ("my invoice has a double charge", "billing"),
    ("login rejects my password again", "login"),
    ("the csv export file is empty again", "export"),
    ("the android app crashes every time", "mobile"),
]
OFF_TOPIC = [
    "the recipe needs two eggs and flour",
    "football match tonight at eight",
    "weather forecast says heavy rain tomorrow",
]


class HashingEmbedder:
    """Deterministic bag of hashed words + char trigrams, unit length: similar wording → similar vectors."""

    model_id = "test-hashing"
    dimension = 256

    def __init__(self) -> None:
        self.calls = 0
        self.texts_embedded = 0

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        self.texts_embedded += len(texts)
        return [self._one(t) for t in texts]

    def _one(self, text: str) -> list[float]:
        vector = np.zeros(self.dimension)
        words = re.findall(r"\w+", text.lower())
        grams = [w[i : i + 3] for w in words for i in range(max(len(w) - 2, 1))]
        for token in words + grams:
            vector[int(hashlib.md5(token.encode()).hexdigest()[:8], 16) % self.dimension] += 1.0
        norm = np.linalg.norm(vector)
        return (vector / norm if norm else vector).tolist()


def themed() -> tuple[list[str], list[str]]:
    texts = [t for examples in THEMES.values() for t in examples]
    labels = [label for label, examples in THEMES.items() for _ in examples]
    return texts, labels
