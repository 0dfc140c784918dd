"""Forgetting a person deletes the agent conversations that mention them, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
from groundswell.graph.checkpoint import build_checkpointer, close_checkpointer, forget_threads
from langgraph.checkpoint.base import empty_checkpoint


def save_thread(saver, thread: str, question: str) -> None:
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"question": question}
    saver.put({"configurable": {"thread_id": thread, "checkpoint_ns": ""}}, checkpoint, {"source": "input"}, {})


def _on_disk(folder, needle: bytes) -> bool:
    return any(needle in p.read_bytes().lower() for p in folder.glob("checkpoints.sqlite*"))


def threads(saver) -> set[str]:
    return {str(t.config["configurable"]["thread_id"]) for t in saver.list(None)}


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_threads_mentioning_the_person_are_deleted_and_others_kept(backend, tmp_path, request):
    """The PostgreSQL checkpointer is shared with other tests, so ids and the name are this run's own."""
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    run = uuid.uuid4().hex[:8]
    mine, other, name = f"t-ana-{run}", f"t-other-{run}", f"Ana Lopez{run}"
    saver = build_checkpointer(database_url=url, sqlite_path=tmp_path / "checkpoints.sqlite")
    try:
        save_thread(saver, mine, f"what did {name} say about SSO?")
        save_thread(saver, other, "top themes this week")
        if backend == "sqlite":
            assert _on_disk(tmp_path, b"lopez")  # really on disk before (the file or its WAL)
        assert forget_threads(saver, [name.lower(), "unit-123"]) == 1
        assert threads(saver) & {mine, other} == {other}
        assert forget_threads(saver, []) == 0 and forget_threads(saver, [f"nobody here {run}"]) == 0
    finally:
        close_checkpointer(saver)
    if backend == "sqlite":
        assert not _on_disk(tmp_path, b"lopez")
