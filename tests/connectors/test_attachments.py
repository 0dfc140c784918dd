"""Attachment metadata read from the sources' own field names; junk entries never fail a record."""

from __future__ import annotations

from datetime import UTC, datetime

from groundswell.connectors.files.attachments import read_attachments
from groundswell.connectors.http.hubspot_deals import opportunity
from groundswell.core.models import Attachment, RawRecord

ZENDESK = {"name": "file_name", "content_type": "content_type", "url": "content_url", "size": "size"}


def test_attachments_keep_metadata_and_skip_what_is_not_a_file():
    items = [
        {"file_name": " log.txt ", "content_type": "text/plain", "content_url": "https://z/a/1", "size": 12},
        {"file_name": "", "content_url": ""},  # neither a name nor a link
        "not an object",
        {"file_name": "big.bin", "size": "huge", "content_url": "https://z/a/2"},  # size dropped, file kept
        {"file_name": "flag.bin", "size": True},
    ]
    assert read_attachments(items, **ZENDESK) == [
        Attachment(name="log.txt", content_type="text/plain", url="https://z/a/1", size=12),
        Attachment(name="big.bin", url="https://z/a/2"),
        Attachment(name="flag.bin"),
    ]
    assert read_attachments(None, **ZENDESK) == [] and read_attachments({"x": 1}, **ZENDESK) == []


def _deal(properties: dict, stage: dict | None = None, companies: list | None = None) -> RawRecord:
    payload = {"id": "7", "properties": properties, "_stage": stage, "_companies": companies or []}
    return RawRecord(source="hubspot", external_id="deals:7", kind="opportunity", payload=payload,
                     updated_at=datetime(2026, 5, 1, tzinfo=UTC))  # fmt: skip


def test_a_deal_without_calculated_flags_falls_back_to_the_stage_metadata():
    lost = {"label": "Lost", "isClosed": "true", "probability": "0.0"}
    doc = opportunity(
        _deal({"dealstage": "x1", "amount": "", "closed_lost_reason": " Price "}, lost),
        source="hubspot",
        loss_reason_property="closed_lost_reason",
    )
    assert (doc.stage, doc.is_closed, doc.is_won, doc.amount, doc.loss_reason) == ("Lost", True, False, None, "Price")
    won = {"label": "Won", "isClosed": "true", "probability": "1.0"}
    doc = opportunity(_deal({"dealstage": "x2"}, won), source="hubspot", loss_reason_property="closed_lost_reason")
    assert (doc.is_closed, doc.is_won, doc.loss_reason) == (True, True, None)


def test_an_open_deal_has_no_loss_reason_and_an_unknown_stage_keeps_its_id():
    props = {"dealstage": "gone-stage", "hs_is_closed": "false", "closed_lost_reason": "stale text", "amount": "10"}
    companies = [{"toObjectId": 9, "associationTypes": [{"typeId": 341}]}]
    doc = opportunity(_deal(props, None, companies), source="hubspot", loss_reason_property="closed_lost_reason")
    assert (doc.stage, doc.is_closed, doc.loss_reason, doc.amount) == ("gone-stage", False, None, 10.0)
    assert doc.account_external_id == "9"  # no Primary association: the first company
