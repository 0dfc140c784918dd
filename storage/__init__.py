"""Persistence: SQLModel tables, engine, keyword-only queries, vectors (chromadb) and cache (redis)."""
