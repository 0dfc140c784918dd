from datetime import UTC, datetime, timedelta

from groundswell.storage.db import session_scope
from groundswell.storage.models import Person
from groundswell.storage.people import list_person_names

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def test_lists_distinct_non_blank_names_newest_first_up_to_the_limit(engine) -> None:
    with session_scope(engine) as session:
        for offset, name in enumerate(["Ana Ruiz", None, "  ", "Tom  Lee", "Ana Ruiz", "Kwame Mensah"]):
            session.add(Person(display_name=name, created_at=T0 + timedelta(days=offset)))
    with session_scope(engine) as session:
        assert list_person_names(session=session) == ["Kwame Mensah", "Ana Ruiz", "Tom Lee"]
        assert list_person_names(session=session, limit=2) == ["Kwame Mensah", "Ana Ruiz"]
