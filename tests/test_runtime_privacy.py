"""Runtime.privacy: the identity graph's names are redacted, read once per run, and nothing loads eagerly."""

from datetime import UTC, datetime

from groundswell.storage.db import session_scope
from groundswell.storage.models import Person

from groundswell.runtime import Runtime
from groundswell.settings import Settings


def test_privacy_redacts_names_the_identity_graph_knows_loaded_once(tmp_path) -> None:
    runtime = Runtime(Settings(data_dir=tmp_path))
    assert "privacy" not in runtime.__dict__  # lazy
    with session_scope(runtime.engine) as session:
        session.add(Person(display_name="Zorba Quillfeather", created_at=datetime(2026, 1, 1, tzinfo=UTC)))
    text = runtime.privacy.redactor.redact("zorba quillfeather asked about SSO").text
    assert "zorba" not in text.lower() and text.startswith("<PERSON_")
    with session_scope(runtime.engine) as session:
        session.add(Person(display_name="Yvaine Starwright", created_at=datetime(2026, 1, 2, tzinfo=UTC)))
    assert runtime.known_person_names == ["Zorba Quillfeather"]  # read once per run, not per text
    assert Runtime(Settings(data_dir=tmp_path)).known_person_names == ["Yvaine Starwright", "Zorba Quillfeather"]
