"""Reviewing low-confidence labels from Slack: the reviewer's page of the queue (App Home), one unit's card (the
sources page's modal) and a decision recorded once, as the same review label the CLI writes."""

from __future__ import annotations

import json
from dataclasses import asdict

from groundswell.bot.errors import UserError
from groundswell.bot.viewers import ViewerDirectory
from groundswell.core.classify.signals import SENTIMENTS
from groundswell.core.labels import INTENTS
from groundswell.core.taxonomy import Taxonomy
from groundswell.messaging.home import ReviewSection
from groundswell.messaging.review import OTHER_VALUE, ReviewChoices, ReviewLine
from groundswell.storage.cache import Cache
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.review import ReviewError
from groundswell.storage.review_scope import ReviewCard, ReviewDecision, record_review, review_card, scoped_review_queue
from groundswell.storage.taxonomy import get_taxonomy

__all__ = ["DOUBLE_CLICK_S", "SKIP_TTL_S", "ReviewService"]

DOUBLE_CLICK_S = 10.0  # the same decision twice within this window is one decision (even before it is stored)
SKIP_TTL_S = 12 * 3600.0  # a skipped unit comes back to that reviewer after this long
MAX_SKIPS = 200


def choices_of(taxonomy: Taxonomy) -> ReviewChoices:
    """The leaf themes a unit can be labelled with, "Parent › Leaf" as their display name."""
    themes = []
    for theme in taxonomy.active:
        if taxonomy.is_leaf(theme.key):
            parent = taxonomy.get(theme.parent_key).name if theme.parent_key else None
            themes.append((theme.key, f"{parent} › {theme.name}" if parent else theme.name))
    return ReviewChoices(version=taxonomy.version, themes=themes)


def line_of(card: ReviewCard) -> ReviewLine:
    fields = asdict(card)
    fields.pop("needs_review")
    return ReviewLine(**fields)


class ReviewService:
    def __init__(self, engine: Engine, viewers: ViewerDirectory, cache: Cache, *, page_size: int = 5) -> None:
        self.engine = engine
        self.viewers = viewers
        self.cache = cache
        self.page_size = page_size

    def can_review(self, user_id: str) -> bool:
        return self.viewers.can_review(user_id)

    def require_reviewer(self, user_id: str) -> None:
        if not self.can_review(user_id):
            raise UserError("Only reviewers can label units.", "Ask an admin to give you a reviewer role.")

    def _skip_key(self, user_id: str) -> str:
        return f"slack:review-skip:{user_id}"

    def skipped(self, user_id: str) -> list[str]:
        raw = self.cache.get(self._skip_key(user_id))
        return list(json.loads(raw)) if raw else []

    def skip(self, user_id: str, unit_id: str) -> None:
        """Hide ``unit_id`` from this reviewer's page for a while (nothing is recorded)."""
        self.require_reviewer(user_id)
        kept = [*[u for u in self.skipped(user_id) if u != unit_id][-(MAX_SKIPS - 1) :], unit_id]
        self.cache.set(self._skip_key(user_id), json.dumps(kept).encode(), SKIP_TTL_S)

    def section_for(self, user_id: str) -> ReviewSection | None:
        """The reviewer's page of the queue in their scope; None for users who may not review."""
        if not self.can_review(user_id):
            return None
        viewer = self.viewers.viewer_for(user_id)
        with session_scope(self.engine) as session:
            taxonomy = get_taxonomy(session=session)
            if taxonomy is None:
                return ReviewSection()
            cards, waiting = scoped_review_queue(session=session, version=taxonomy.version, viewer=viewer,
                                                 limit=self.page_size, skip=self.skipped(user_id))  # fmt: skip
        return ReviewSection(lines=[line_of(c) for c in cards], choices=choices_of(taxonomy), waiting=waiting)

    def card_for(self, user_id: str, unit_id: str, *, version: int | None = None) -> tuple[ReviewLine, ReviewChoices]:
        """One unit as the reviewer may label it (default: in the latest taxonomy version)."""
        self.require_reviewer(user_id)
        with session_scope(self.engine) as session:
            taxonomy = get_taxonomy(session=session, version=version)
            if taxonomy is None:
                raise UserError("There is no taxonomy yet.", "Import one with `groundswell taxonomy import`.")
            card = review_card(session=session, version=taxonomy.version, viewer=self.viewers.viewer_for(user_id),
                               unit_id=unit_id)  # fmt: skip
        if card is None:
            raise UserError("I can't find that unit among the classified units you may review.",
                            "It may be outside your scope, deleted, or not classified yet.")  # fmt: skip
        return line_of(card), choices_of(taxonomy)

    def decide(
        self, user_id: str, unit_id: str, *, version: int, theme: str | None, sentiment: str | None,
        intent: str | None, via: str,
    ) -> bool:  # fmt: skip
        """Record the reviewer's labels for one unit (``None``: keep the current one; theme ``other``: no theme).
        True when recorded; False for a repeat of the same decision (double click, retry, resubmission)."""
        line, choices = self.card_for(user_id, unit_id, version=version)
        theme = theme or line.theme_key or OTHER_VALUE
        sentiment, intent = sentiment or line.sentiment, intent or line.intent
        if theme != OTHER_VALUE and theme not in dict(choices.themes):
            raise UserError(f"“{theme}” is not a leaf theme of taxonomy v{choices.version}.",
                            "Pick a theme in the list (or Other), then decide again.")  # fmt: skip
        if sentiment is not None and sentiment not in SENTIMENTS and sentiment != line.sentiment:
            raise UserError(f"“{sentiment}” is not a sentiment I know.", "Pick one of the buttons.")
        if intent is not None and intent not in INTENTS and intent != line.intent:
            raise UserError(f"“{intent}” is not an intent I know.", "Pick one from the list.")
        decision = ReviewDecision(unit_id, choices.version, None if theme == OTHER_VALUE else theme, sentiment, intent)
        key = f"slack:review:{user_id}:{unit_id}:{choices.version}:{decision.theme_key}:{sentiment}:{intent}"
        if self.cache.seen(key, DOUBLE_CLICK_S):
            return False
        try:
            with session_scope(self.engine) as session:
                reviewer = f"slack:{user_id}"
                return record_review(session=session, decision=decision, reviewer=reviewer, via=via) is not None
        except ReviewError as exc:
            raise UserError(f"I couldn't record that label: {exc}", "Refresh the Home tab and try again.") from exc
