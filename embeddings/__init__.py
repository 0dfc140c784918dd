"""Embedders: the local MiniLM shipped in a PyPI package (default) and OpenAI-compatible endpoints."""

from __future__ import annotations

from typing import Any

from groundswell.core.errors import ConfigurationError
from groundswell.core.protocols import Embedder
from groundswell.embeddings.local import LocalMiniLMEmbedder
from groundswell.embeddings.openai import EmbeddingServiceError, OpenAIEmbedder

__all__ = ["EMBEDDER_KINDS", "EmbeddingServiceError", "LocalMiniLMEmbedder", "OpenAIEmbedder", "build_embedder"]

EMBEDDER_KINDS: dict[str, type[LocalMiniLMEmbedder] | type[OpenAIEmbedder]] = {
    "local": LocalMiniLMEmbedder,
    "openai": OpenAIEmbedder,
}


def build_embedder(kind: str, **kwargs: Any) -> Embedder:
    """``build_embedder("local", batch_size=64)`` or ``build_embedder("openai", base_url=..., api_key=..., ...)``."""
    try:
        factory = EMBEDDER_KINDS[kind]
    except KeyError:
        raise ConfigurationError(f"unknown embedder {kind!r}; choose one of {sorted(EMBEDDER_KINDS)}") from None
    return factory(**kwargs)
