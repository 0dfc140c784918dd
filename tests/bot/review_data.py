"""A classified corpus for the label-review tests: units u-1 … u-7 (the scripted answer's citations, zendesk) and
one gong unit, all flagged for review in taxonomy v1 (the classify tests' themes)."""

from __future__ import annotations

from groundswell.core.taxonomy import Taxonomy
from groundswell.storage.db import Engine, session_scope, utcnow
from groundswell.storage.models import Classification, FeedbackUnit
from groundswell.storage.taxonomy import save_taxonomy
from sqlmodel import Session

from tests.core.classify.test_units import THEMES
from tests.storage.test_identity_events import make_unit

REVIEWER = "U0REVIEW"
GONG_UNIT = "u-gong"
HOSTILE = "<!channel> *free* <https://evil.example|click> & more"


def review_roles(**extra: object) -> dict[str, object]:
    """Settings overrides: an admin, a reviewer limited to zendesk; everyone else a plain member."""
    from tests.bot.conftest import ADMIN

    return {
        "slack_user_roles": {ADMIN: "admin", REVIEWER: "reviewer"},
        "slack_role_scopes": {"admin": {"can_reveal_pii": True}, "reviewer": {"sources": ["zendesk"]}},
        **extra,
    }


def classify(session: Session, unit_id: str, text: str, *, confidence: float, source: str = "zendesk") -> None:
    make_unit(session, unit_id, None)
    unit = session.get(FeedbackUnit, unit_id)
    assert unit is not None
    unit.text, unit.source, unit.url = text, source, f"https://support.example.com/tickets/{unit_id}"
    session.add(
        Classification(
            unit_id=unit_id,
            taxonomy_version=1,
            theme_key="export",
            subtheme_key="export.csv",
            sentiment="negative",
            intent="complaint",
            confidence={"theme": confidence, "sentiment": 0.6, "intent": 0.5},
            needs_review=True,
            created_at=utcnow(),
        )
    )


def seed_review(engine: Engine, texts: dict[str, str] | None = None) -> None:
    """Taxonomy v1 and the flagged units; ``texts`` replaces some units' texts."""
    texts = texts or {}
    with session_scope(engine) as session:
        save_taxonomy(session=session, taxonomy=Taxonomy(0, THEMES))
        for i in range(1, 8):
            uid = f"u-{i}"
            classify(session, uid, texts.get(uid, f"unit {i}: {HOSTILE}"), confidence=0.1 * i)
        classify(session, GONG_UNIT, "a gong call the reviewer may not see", confidence=0.01, source="gong")
