"""Persistence: SQLModel tables, engine, keyword-only queries, vectors (chromadb) and cache (redis)."""

# The live-source tables sit beside storage/models.py (at its size limit); registered with any storage import.
import storage.models_live  # noqa: F401
