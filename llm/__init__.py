"""Language models behind any OpenAI-compatible endpoint (same layer as ``embeddings/``: imports only ``core``)."""

from groundswell.llm.openai_chat import OpenAIChatModel

__all__ = ["OpenAIChatModel"]
