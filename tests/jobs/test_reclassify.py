"""Reclassification jobs: split themes on reprocess, and units classified before the newest review labels.

Real SQLite, the real classifier on a fast hashing embedder, a dict vector index (stored vectors are read back)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from groundswell.core.taxonomy import Taxonomy, ThemeDef, split
from groundswell.jobs.classify import classify_pending, reclassify_stale, reprocess_taxonomy, stored_vectors
from groundswell.storage.db import session_scope
from groundswell.storage.models import Classification, FeedbackUnit
from groundswell.storage.review import add_review_label
from groundswell.storage.taxonomy import migration_between, save_taxonomy
from groundswell.storage.taxonomy_reprocess import moved_counts, reprocess_state
from sqlmodel import select

from groundswell.runtime import Runtime
from groundswell.settings import Settings
from tests.core.classify.test_units import THEMES
from tests.core.classify.toy import HashingEmbedder
from tests.jobs.fakes import DictIndex
from tests.storage.test_identity_events import make_unit

SIGN_IN = (
    ThemeDef("auth", "Authentication", description="Signing in"),
    ThemeDef("auth.signin", "Sign-in problems", "auth", "cannot sign in", ("login fails",)),
    *[t for t in THEMES if not t.key.startswith("auth")],
)
PARTS = [
    ThemeDef("auth.saml", "SAML single sign-on", examples=("saml error on okta login", "okta sso saml loop")),
    ThemeDef("auth.codes", "Two-factor codes", examples=("2fa code never arrives", "authenticator code rejected")),
]
UNITS = {
    "u1": "saml error again on our okta login",
    "u2": "the 2fa code never arrives by sms",
    "u3": "okta sso saml loop after the update",
    "u4": "my authenticator code is rejected every time",
    "u5": "the csv export download is stuck",
}


class RecordingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.seen.update(texts)
        return super().embed(texts)


class FlakyIndex(DictIndex):
    """Reads fail while ``broken`` is set (an interrupted run)."""

    broken = False

    def get_vectors(self, ids: Sequence[str]) -> dict[str, list[float]]:
        if self.broken:
            raise RuntimeError("interrupted")
        return super().get_vectors(ids)


@pytest.fixture
def runtime(tmp_path: Path) -> Runtime:
    runtime = Runtime(Settings(data_dir=tmp_path))
    runtime.__dict__["embedder"] = RecordingEmbedder()
    runtime.__dict__["vectors"] = FlakyIndex()
    return runtime


def _add_units(runtime: Runtime, units: dict[str, str], *, store_vectors: bool = True) -> None:
    with session_scope(runtime.engine) as session:
        for uid, text in units.items():
            make_unit(session, uid, None)
            session.get(FeedbackUnit, uid).text = text
    if store_vectors:
        vectors = runtime.embedder.embed(list(units.values()))
        runtime.vectors.upsert(list(units), vectors, [{}] * len(units))


def _rows(runtime: Runtime, version: int) -> dict[str, Classification]:
    with session_scope(runtime.engine) as session:
        rows = session.exec(select(Classification).where(Classification.taxonomy_version == version))
        return {row.unit_id: row for row in rows}


def test_stored_vectors_are_read_back_and_only_missing_ones_embedded() -> None:
    index, embedder = DictIndex(), HashingEmbedder()
    index.upsert(["a"], [[1.0, 0.0]], [{}])
    embedded: list[list[str]] = []

    def embed(texts: list[str]) -> np.ndarray:
        embedded.append(list(texts))
        return np.asarray([[0.0, 1.0]] * len(texts))

    matrix = stored_vectors(embed, index, ["b", "a", "c"], ["tb", "ta", "tc"])
    assert embedded == [["tb", "tc"]] and matrix.tolist() == [[0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]
    assert stored_vectors(embed, None, [], []).shape[0] == 0 and embedder.calls == 0


def test_split_units_are_classified_among_the_parts_resumably_from_stored_vectors(runtime: Runtime) -> None:
    with session_scope(runtime.engine) as session:
        v1 = save_taxonomy(session=session, taxonomy=Taxonomy(1, SIGN_IN))
    _add_units(runtime, UNITS)
    classifier = runtime.fit_unit_classifier()
    assert classifier is not None
    classify_pending(engine=runtime.engine, classifier=classifier)
    with session_scope(runtime.engine) as session:  # the sign-in units sit in the theme about to be split
        for uid in ("u1", "u2", "u3", "u4"):
            row = session.get(Classification, (uid, 1))
            row.theme_key, row.subtheme_key = "auth", "auth.signin"
        add_review_label(session=session, unit_id="u4", version=1, theme_key="auth.signin", reviewer="ana")
        v2, migration = split(v1, "auth.signin", PARTS)
        v2 = save_taxonomy(session=session, taxonomy=v2, migration=migration)
        migration = migration_between(session=session, from_version=1, to_version=2)
    runtime.embedder.seen.clear()
    index = runtime.vectors

    def break_index(_: int) -> None:
        index.broken = True

    with pytest.raises(RuntimeError, match="interrupted"):
        reprocess_taxonomy(
            engine=runtime.engine, migration=migration, taxonomy=v2, vectors=index, batch_size=2,
            classifier=lambda: runtime.fit_unit_classifier(version=2), tick=break_index,
        )  # fmt: skip
    index.broken = False
    with session_scope(runtime.engine) as session:
        state = reprocess_state(session=session, to_version=2)
        assert state is not None and not state.done and state.migrated >= 2
    report = reprocess_taxonomy(
        engine=runtime.engine, migration=migration, taxonomy=v2, vectors=runtime.vectors, batch_size=2,
        classifier=lambda: runtime.fit_unit_classifier(version=2),
    )  # fmt: skip
    assert report.done and report.migrated == 5
    at_v2 = _rows(runtime, 2)
    assert {uid: row.subtheme_key for uid, row in at_v2.items() if uid != "u4"} == {
        "u1": "auth.saml",
        "u2": "auth.codes",
        "u3": "auth.saml",
        "u5": _rows(runtime, 1)["u5"].subtheme_key,  # not split: moved by the map alone
    }
    assert at_v2["u1"].classifier == "offline-embeddings-tfidf" and 0.5 < at_v2["u1"].confidence["theme"] <= 1
    assert set(at_v2["u1"].confidence) >= {"auth.saml", "auth.codes"}
    assert at_v2["u4"].needs_review and at_v2["u4"].classifier == "human"  # a reviewer labels it again
    assert not runtime.embedder.seen & set(UNITS.values())  # the units' vectors came from the index
    with session_scope(runtime.engine) as session:
        moved = moved_counts(session=session, from_version=1, to_version=2)
    assert ("auth.signin", "auth.saml", 2) in moved and sum(n for _, _, n in moved) == 4
    assert {row.taxonomy_version for row in at_v2.values()} == {2}


def test_units_classified_before_new_labels_are_reclassified_incrementally(runtime: Runtime) -> None:
    with session_scope(runtime.engine) as session:
        save_taxonomy(session=session, taxonomy=Taxonomy(1, THEMES))
    odd = {f"w{i}": f"zzq wibble frobnicator number {i}" for i in range(5)}
    _add_units(runtime, {**odd, **UNITS}, store_vectors=False)
    classifier = runtime.fit_unit_classifier()
    assert classifier is not None
    classify_pending(engine=runtime.engine, classifier=classifier)
    assert {_rows(runtime, 1)[uid].subtheme_key for uid in odd} != {"export.xlsx"}
    assert reclassify_stale(engine=runtime.engine, classifier=classifier) == 0  # nothing newer than the rows
    with session_scope(runtime.engine) as session:
        for uid in ("w0", "w1", "w2"):
            add_review_label(session=session, unit_id=uid, version=1, theme_key="export.xlsx", reviewer="ana")
    taught = runtime.fit_unit_classifier()
    assert taught is not None
    done = reclassify_stale(engine=runtime.engine, classifier=taught, vectors=runtime.vectors, batch_size=3)
    assert done == len(odd) + len(UNITS) - 3  # every machine-made row; the three labels stay human
    rows = _rows(runtime, 1)
    assert rows["w3"].subtheme_key == rows["w4"].subtheme_key == "export.xlsx"
    assert {rows[uid].classifier for uid in ("w0", "w1", "w2")} == {"human"}
    assert reclassify_stale(engine=runtime.engine, classifier=taught) == 0  # resumable: a rerun has nothing left
