"""Language models behind any OpenAI-compatible endpoint (same layer as ``embeddings/``: imports only ``core``)."""

from llm.openai_chat import OpenAIChatModel

__all__ = ["OpenAIChatModel"]
