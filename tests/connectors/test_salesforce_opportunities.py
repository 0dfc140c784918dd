"""Salesforce export: ``Opportunity.csv`` read into opportunity records and normalised to OpportunityDoc."""

from __future__ import annotations

from datetime import date

from groundswell.connectors.files.salesforce import SalesforceExport
from groundswell.core.models import OpportunityDoc

from tests.connectors.helpers import by_id, drain

HEADER = "Id,AccountId,Name,StageName,Amount,CloseDate,IsClosed,IsWon,Loss_Reason__c\n"
ROWS = [
    "006L1,001ACME,Acme expansion,Closed Lost,42000,2026-03-15,true,false,SSO outages during the pilot\n",
    "006W1,001ACME,Acme renewal,Closed Won,90000,2026-02-01,true,true,ignored for a won deal\n",
    "006P1,001INIT,Initech seats,Negotiation,,2026-06-30,false,false,\n",
    "006BAD,001INIT,Bad amount,Closed Lost,lots,2026-03-01,true,false,Budget\n",
]


def test_opportunities_are_records_and_normalise(fixture_copy):
    folder = fixture_copy("salesforce")
    (folder / "Opportunity.csv").write_text(HEADER + "".join(ROWS), encoding="utf-8")
    source = SalesforceExport(folder)
    records, failures, _ = drain(source.poll(None))
    found = by_id(records)
    assert {i: r.kind for i, r in found.items() if i.startswith("006")} == {
        "006L1": "opportunity",
        "006W1": "opportunity",
        "006P1": "opportunity",
    }
    assert [(f.external_id, f.reason) for f in failures if f.external_id == "006BAD"] == [
        ("006BAD", "Opportunity.csv line 5: bad value in field 'Amount': 'lots'")
    ]
    lost = source.normalize(found["006L1"])
    assert lost == OpportunityDoc(
        source="salesforce", external_id="006L1", account_external_id="001ACME", name="Acme expansion",
        stage="Closed Lost", is_closed=True, is_won=False, amount=42000.0, close_date=date(2026, 3, 15),
        loss_reason="SSO outages during the pilot", updated_at=found["006L1"].updated_at,
    )  # fmt: skip
    assert lost.is_lost
    won = source.normalize(found["006W1"])
    assert (won.is_lost, won.loss_reason) == (False, None)  # type: ignore[union-attr]
    open_deal = source.normalize(found["006P1"])
    assert (open_deal.is_closed, open_deal.amount, open_deal.is_lost) == (False, None, False)  # type: ignore[union-attr]


def test_an_export_without_opportunities_reads_as_before(fixture_copy):
    records, _, _ = drain(SalesforceExport(fixture_copy("salesforce")).poll(None))
    assert not [r for r in records if r.kind == "opportunity"]
