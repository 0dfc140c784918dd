from __future__ import annotations

from groundswell.storage.db import session_scope
from groundswell.storage.unit_locations import list_unit_facts

from tests.storage.analytics_data import at, seed


def test_unit_facts_carry_account_facts_at_the_time_and_labels_of_one_version(engine):
    seed(engine)
    with session_scope(engine) as session:
        latest = {u.id: u for u in list_unit_facts(session=session)}
        first = {u.id: u for u in list_unit_facts(session=session, version=1)}
    assert "u10" not in latest  # deleted
    assert (latest["u11"].speaker_role, latest["u09"].duplicate_of) == ("agent", "u04")  # listed, flagged
    u02, u03 = first["u02"], first["u03"]
    assert (u02.account_id, u02.segment, u02.arr, u02.created_at) == ("A2", "SMB", 10.0, at(3))
    assert (u03.segment, u03.arr) == ("Mid-Market", 20.0)  # Bolt moved up on day 5
    assert first["u07"].segment == "Enterprise"  # predates Cyan's snapshots: the earliest applies
    assert (u02.theme, u02.subtheme, u02.sentiment, u02.severity) == (
        "Authentication",
        "SSO login",
        "negative",
        "critical",
    )
    assert (latest["u02"].theme, latest["u02"].subtheme) == ("Billing", "Invoices")  # re-classified in v2
    assert first["u08"].account_id is None and first["u08"].segment is None
