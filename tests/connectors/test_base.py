import pytest
from groundswell.connectors.files.base import FileExportSource, is_company_email, staff_guard
from groundswell.core.models import SpeakerRole


@pytest.mark.parametrize(
    ("email", "company"),
    [
        ("sam@brightloop.io", True),
        ("Sam@BrightLoop.IO", True),
        ("pat@support.brightloop.io", True),
        ("eve@notbrightloop.io", False),
        ("dana@acme.com", False),
        ("brightloop.io", False),
        (None, False),
        ("", False),
    ],
)
def test_is_company_email(email, company):
    assert is_company_email(email, ["brightloop.io"]) is company


def test_staff_guard():
    domains = ["brightloop.io"]
    assert staff_guard(SpeakerRole.CUSTOMER, "a@brightloop.io", domains) is SpeakerRole.AGENT
    assert staff_guard(SpeakerRole.UNKNOWN, "a@brightloop.io", domains, SpeakerRole.REP) is SpeakerRole.REP
    assert staff_guard(SpeakerRole.CUSTOMER, "a@acme.com", domains) is SpeakerRole.CUSTOMER
    assert staff_guard(SpeakerRole.INTERNAL, "a@brightloop.io", domains) is SpeakerRole.INTERNAL
    assert staff_guard(SpeakerRole.BOT, "a@brightloop.io", domains) is SpeakerRole.BOT


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"id": 1, "items": [{"at": "2026-01-01T00:00:00Z"}]}, None),
        ({"items": []}, "field 'id' missing"),
        ({"id": 1, "items": [{"at": "2026-01-01T00:00:00Z"}, {}]}, "field 'items[].at' missing"),
        ({"id": 1, "items": {"at": 1}}, "field 'items[].at' is dict, not a list"),
        ({"id": " ", "items": []}, "required field 'id' is empty"),
        ({"id": 1, "items": [{"at": "soon"}]}, "bad timestamp in field 'items[].at': 'soon'"),
        ({"id": 1, "items": [], "seen": None}, None),  # an empty optional timestamp is fine
    ],
)
def test_check(data, problem):
    assert FileExportSource.check(data, ("items[].at",), ("id",), ("items[].at", "seen")) == problem
