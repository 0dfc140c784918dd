from groundswell.core.errors import CredentialsExpired
from groundswell.core.models import RecordFailure
from groundswell.jobs.pipeline import run_pipeline
from groundswell.storage.db import session_scope
from groundswell.storage.models import FeedbackUnit, RejectedRecord, SyncState
from sqlmodel import select

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.jobs.fakes import DictIndex, HashEmbedder, ListSource, ticket


def _runtime(tmp_path) -> Runtime:
    runtime = Runtime(Settings(data_dir=tmp_path))
    runtime.__dict__["embedder"] = HashEmbedder()
    runtime.__dict__["vectors"] = DictIndex()
    return runtime


def _live_units(runtime) -> dict[str, str]:
    with session_scope(runtime.engine) as session:
        rows = session.exec(select(FeedbackUnit).where(FeedbackUnit.deleted_at.is_(None)))
        return {u.id: u.text for u in rows}


def test_ingest_is_idempotent_and_embeds_only_customer_words(tmp_path):
    runtime = _runtime(tmp_path)
    source = ListSource(
        [
            ticket("1", ("customer", "Export times out"), ("agent", "Hi, thanks for reaching out")),
            ticket("2", ("customer", "SSO broken")),
        ]
    )
    first = run_pipeline(runtime=runtime, sources=[source]).as_dict()
    assert (first["accepted"], first["units_added"], first["embedded"]) == (2, 2, 2)
    assert sorted(_live_units(runtime).values()) == ["Export times out", "SSO broken"]
    assert runtime.vectors.count() == 2
    calls = runtime.embedder.calls
    second = run_pipeline(runtime=runtime, sources=[source]).as_dict()
    assert (second["accepted"], second["unchanged"], second["units_added"], second["embedded"]) == (0, 2, 0, 0)
    assert runtime.embedder.calls == calls  # nothing re-embedded
    assert source.seen_checkpoints[1].cursor == "2"  # the stored checkpoint was handed back


def test_edit_updates_units_and_delete_removes_units_and_vectors(tmp_path):
    runtime = _runtime(tmp_path)
    run_pipeline(
        runtime=runtime,
        sources=[ListSource([ticket("1", ("customer", "Export times out"), ("customer", "also slow"))])],
    )
    edited = ListSource([ticket("1", ("customer", "Export times out every night"))])
    report = run_pipeline(runtime=runtime, sources=[edited]).as_dict()
    assert (report["updated"], report["units_removed"], report["embedded"]) == (1, 1, 1)
    assert list(_live_units(runtime).values()) == ["Export times out every night"]
    assert runtime.vectors.count() == 1
    gone = run_pipeline(runtime=runtime, sources=[ListSource([ticket("1", ("customer", "x"), deleted=True)])]).as_dict()
    assert gone["deleted"] == 1
    assert _live_units(runtime) == {} and runtime.vectors.count() == 0


def test_bad_records_are_kept_as_rejected_and_the_run_goes_on(tmp_path):
    runtime = _runtime(tmp_path)
    from groundswell.core.models import RawRecord

    broken = RawRecord(source="tickets", external_id="9", kind="ticket", payload={"nope": 1})
    failure = RecordFailure(source="tickets", external_id=None, reason="line 3: invalid JSON", raw="{oops")
    report = run_pipeline(
        runtime=runtime, sources=[ListSource([failure, broken, ticket("1", ("customer", "works"))])]
    ).as_dict()
    assert (report["rejected"], report["accepted"], report["units_added"]) == (2, 1, 1)
    with session_scope(runtime.engine) as session:
        reasons = sorted(r.reason for r in session.exec(select(RejectedRecord)))
    assert reasons == ["line 3: invalid JSON", "tickets: schema drift: missing field messages"]


def test_expired_credentials_are_reported_and_keep_the_old_checkpoint(tmp_path):
    runtime = _runtime(tmp_path)
    run_pipeline(runtime=runtime, sources=[ListSource([ticket("1", ("customer", "a"))])])
    failing = ListSource([ticket("2", ("customer", "b")), CredentialsExpired("tickets", "401 from API")])
    report = run_pipeline(runtime=runtime, sources=[failing]).as_dict()
    assert "credentials expired for source tickets" in report["errors"]["tickets"]
    with session_scope(runtime.engine) as session:
        state = session.get(SyncState, "tickets")
        assert state.checkpoint == {"cursor": "1", "updated_since": None, "done_ids": []}
        assert "credentials expired" in state.last_error


def test_a_source_failing_mid_poll_keeps_what_it_read_and_its_progress(tmp_path):
    from groundswell.core.protocols import Checkpoint

    runtime = _runtime(tmp_path)
    failing = ListSource([ticket("1", ("customer", "a")), CredentialsExpired("tickets", "401")])
    failing.progress = Checkpoint(done_ids=["part-1"])
    report = run_pipeline(runtime=runtime, sources=[failing]).as_dict()
    assert report["accepted"] == 1 and report["errors"]
    assert list(_live_units(runtime).values()) == ["a"]
    with session_scope(runtime.engine) as session:
        assert session.get(SyncState, "tickets").checkpoint["done_ids"] == ["part-1"]


def test_duplicates_are_linked_not_deleted(tmp_path):
    runtime = _runtime(tmp_path)
    text = "The nightly CSV export has timed out three nights in a row now"
    two_people = ListSource([ticket("1", ("customer", text)), ticket("2", ("customer", text + "!"))])
    assert run_pipeline(runtime=runtime, sources=[two_people]).as_dict()["duplicates"] == 0
    again = ListSource([ticket("3", ("customer", text + " again"), email="user1@acme.com")])
    assert run_pipeline(runtime=runtime, sources=[again]).as_dict()["duplicates"] == 1
    with session_scope(runtime.engine) as session:
        units = {u.external_id: u for u in session.exec(select(FeedbackUnit))}
    units_by_id = {u.id: u for u in units.values()}
    links = {(u.external_id, units_by_id[u.duplicate_of].external_id) for u in units.values() if u.duplicate_of}
    assert links in ({("3", "1")}, {("1", "3")})  # same timestamp in this fake: either may be the original
    assert all(u.deleted_at is None for u in units.values())


def test_pii_is_redacted_before_storage_and_embedding_with_originals_in_the_vault(tmp_path):
    from groundswell.storage.models import PseudonymEntry

    runtime = _runtime(tmp_path)
    secret = "Card 4111 1111 1111 1111 failed, mail me at ana.lopez@acme.com"
    seen: list[str] = []
    original_embed = runtime.embedder.embed
    runtime.embedder.embed = lambda texts: seen.extend(texts) or original_embed(texts)
    run_pipeline(runtime=runtime, sources=[ListSource([ticket("1", ("agent", secret), ("customer", secret))])])
    (text,) = _live_units(runtime).values()
    assert "4111" not in text and "ana.lopez" not in text and "<EMAIL_" in text
    assert all("4111" not in t and "ana.lopez" not in t for t in seen)
    with session_scope(runtime.engine) as session:
        unit = session.exec(select(FeedbackUnit)).one()
        assert "ana.lopez" not in unit.context["previous_turn"]
        entries = {e.token: e for e in session.exec(select(PseudonymEntry))}
    email_token = next(t for t in entries if t.startswith("<EMAIL_"))
    assert runtime.privacy.vault.decrypt(entries[email_token].ciphertext) == "ana.lopez@acme.com"
    assert (tmp_path / "pii.key").stat().st_mode & 0o777 == 0o600


def test_a_source_already_syncing_elsewhere_is_skipped_not_run_twice(tmp_path):
    runtime = _runtime(tmp_path)
    with runtime.cache.lock("sync:tickets", ttl_s=30):
        report = run_pipeline(runtime=runtime, sources=[ListSource([ticket("1", ("customer", "a"))])]).as_dict()
    assert report["errors"] == {"tickets": "another sync of tickets is running; skipped"}
    assert report["accepted"] == 0 and _live_units(runtime) == {}


def test_units_are_classified_against_the_latest_taxonomy_while_embedding(tmp_path):
    from groundswell.core.taxonomy import Taxonomy
    from groundswell.storage.models import Classification
    from groundswell.storage.taxonomy import save_taxonomy

    from tests.core.classify.test_units import THEMES

    runtime = _runtime(tmp_path)
    with session_scope(runtime.engine) as session:
        save_taxonomy(session=session, taxonomy=Taxonomy(1, THEMES))
    source = ListSource(
        [
            ticket("1", ("customer", "The csv export download is stuck for hours")),
            ticket("2", ("customer", "saml error on okta login")),
        ]
    )
    report = run_pipeline(runtime=runtime, sources=[source]).as_dict()
    assert report["classification"]["taxonomy_version"] == 1
    assert report["classification"]["classified"] == 2
    with session_scope(runtime.engine) as session:
        rows = list(session.exec(select(Classification)))
    assert {r.taxonomy_version for r in rows} == {1} and all(r.sentiment and r.intent and r.severity for r in rows)
    themed = [r.unit_id for r in rows if r.subtheme_key]
    assert all(runtime.vectors.rows[uid][1]["theme"] for uid in themed)  # the index can filter by theme


def test_nothing_to_classify_means_no_classifier_is_fitted(tmp_path):
    from groundswell.core.taxonomy import Taxonomy
    from groundswell.storage.taxonomy import save_taxonomy

    from tests.core.classify.test_units import THEMES

    runtime = _runtime(tmp_path)
    with session_scope(runtime.engine) as session:
        save_taxonomy(session=session, taxonomy=Taxonomy(1, THEMES))
    source = ListSource([ticket("1", ("customer", "The csv export download is stuck for hours"))])
    run_pipeline(runtime=runtime, sources=[source])
    again = _runtime(tmp_path)
    report = run_pipeline(runtime=again, sources=[source]).as_dict()
    assert "unit_classifier" not in again.__dict__  # the seconds-long fit was skipped
    assert report["classification"]["classified"] == 1


def test_every_stage_counts_what_it_processed_in_the_metrics(tmp_path):
    from groundswell.api.metrics import Metrics
    from groundswell.core.taxonomy import Taxonomy
    from groundswell.storage.taxonomy import save_taxonomy

    from tests.api.test_metrics import parse
    from tests.core.classify.test_units import THEMES

    runtime = _runtime(tmp_path)
    metrics = Metrics()
    runtime.telemetry.attach(metrics)
    with session_scope(runtime.engine) as session:
        save_taxonomy(session=session, taxonomy=Taxonomy(1, THEMES))
    failure = RecordFailure(source="tickets", external_id=None, reason="line 3: invalid JSON", raw="{oops")
    source = ListSource([
        ticket("1", ("customer", "The csv export download is stuck"), ("agent", "Hi, thanks for reaching out")),
        ticket("2", ("customer", "saml error on okta login"), ("customer", "and the invoice is wrong")),
        failure,
    ])  # fmt: skip

    def stages() -> dict[str, float]:
        got = parse(metrics.render().decode())
        return {
            dict(labels)["stage"]: v for (name, labels), v in got.items() if name == "groundswell_pipeline_units_total"
        }

    run_pipeline(runtime=runtime, sources=[source])
    assert stages() == {"ingest": 3, "redact": 3, "embed": 3, "classify": 3}  # the agent's reply is not a unit
    run_pipeline(runtime=runtime, sources=[source])  # read again, all unchanged: nothing else to do
    assert stages() == {"ingest": 6, "redact": 3, "embed": 3, "classify": 3}
