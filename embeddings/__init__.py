"""Embedders: the local MiniLM shipped in a PyPI package (default) and OpenAI-compatible endpoints."""
