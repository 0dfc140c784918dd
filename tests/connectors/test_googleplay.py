from datetime import UTC, datetime

import pytest
from groundswell.connectors.files.googleplay import GooglePlayExport, review_id
from groundswell.core.models import Channel, SpeakerRole

from tests.connectors.helpers import FIXTURES, by_id, drain, message

JUNE = "reviews_io.brightloop.app_202606.csv"


@pytest.fixture
def polled(fixture_copy):
    source = GooglePlayExport(fixture_copy("googleplay"))
    records, failures, _ = drain(source.poll(None))
    return source, by_id(records), failures


def test_fixture_is_utf16_le_with_bom():
    assert (FIXTURES / "googleplay" / JUNE).read_bytes()[:2] == b"\xff\xfe"


def test_review_from_utf16_file(polled):
    source, records, _ = polled
    record = records["gp:AOqpTOE1"]
    assert record.kind == "review"
    assert record.payload["Package Name"] == "io.brightloop.app"  # the CSV row verbatim
    assert record.url == "https://play.google.com/console/developers/app/reviews?reviewId=gp:AOqpTOE1"
    assert record.updated_at == datetime(2026, 6, 2, 8, tzinfo=UTC)
    doc = source.normalize(record)
    assert doc.channel is Channel.REVIEW
    assert (doc.rating, doc.locale, doc.title) == (2.0, "fr", None)
    review = message(doc, "gp:AOqpTOE1")
    assert review.text == 'Ça plante à l\'ouverture, "vraiment" pénible.\nDeuxième ligne.'
    assert review.author.role is SpeakerRole.CUSTOMER
    assert review.author.model_dump(exclude={"role"}) == dict.fromkeys(
        ("external_id", "name", "email", "phone", "handle", "organization")
    )  # anonymous by design
    reply = message(doc, "gp:AOqpTOE1:reply")
    assert (reply.author.role, reply.text) == (SpeakerRole.AGENT, "Merci, corrigé en 4.12.1.")
    assert reply.created_at == datetime(2026, 6, 2, 9, tzinfo=UTC)


def test_review_from_utf8_file(polled):
    source, records, _ = polled
    doc = source.normalize(records["gp:MAY1"])
    assert (doc.title, doc.rating, doc.locale) == ("Absturz", 1.0, "de")
    assert [m.text for m in doc.messages] == ["Stürzt ständig ab."]


def test_star_only_review_without_link(polled):
    source, records, _ = polled
    record = records["io.brightloop.app:1780480800000"]
    assert record.url is None
    doc = source.normalize(record)
    assert (doc.messages, doc.rating, doc.url) == ([], 5.0, None)


def test_bad_timestamp_points_at_the_rows_first_line(polled):
    _, _, failures = polled
    assert [f.reason for f in failures] == [
        f"{JUNE} line 5: bad timestamp in field 'Review Submit Date and Time': 'June 4th'"
    ]


def test_bad_star_rating_and_link_are_failures(tmp_path):
    folder = tmp_path / "googleplay"
    folder.mkdir()
    header = (FIXTURES / "googleplay" / "reviews_io.brightloop.app_202605.csv").read_text("utf-8-sig").splitlines()[0]
    (folder / "reviews_x_202601.csv").write_text(
        header
        + "\np,1,1,en,d,2026-01-01T00:00:00Z,,,,6,,t,,,,https://play.google.com/x?reviewId=a"
        + "\np,1,1,en,d,2026-01-01T00:00:00Z,,,,3,,t,,,,https://play.google.com/x?other=1\n",
        encoding="utf-8",
    )
    records, failures, _ = drain(GooglePlayExport(folder).poll(None))
    assert records == []
    assert failures[0].reason == "reviews_x_202601.csv line 2: bad value in field 'Star Rating': '6' is not 1-5"
    assert failures[1].reason.startswith("reviews_x_202601.csv line 3: no reviewId in field 'Review Link'")


def test_review_id():
    assert review_id("https://play.google.com/console/developers/app/reviews?reviewId=gp:X1&lang=en") == "gp:X1"
    assert review_id("https://play.google.com/console/developers/app/reviews") is None
    assert review_id("") is None


def test_only_the_changed_month_is_reread(fixture_copy):
    folder = fixture_copy("googleplay")
    source = GooglePlayExport(folder)
    _, _, checkpoint = drain(source.poll(None))
    may = folder / "reviews_io.brightloop.app_202605.csv"
    may.write_bytes(may.read_bytes().replace("Stürzt".encode(), b"Crasht"))
    records, _, _ = drain(source.poll(checkpoint))
    assert [r.external_id for r in records] == ["gp:MAY1"]
    assert records[0].payload["Review Text"] == "Crasht ständig ab."
