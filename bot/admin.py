"""App Home data (per user; reviewers see units to review, admins source health, the taxonomy review queue and
quality) and taxonomy review decisions."""

from __future__ import annotations

from datetime import timedelta

from groundswell.bot.errors import UserError
from groundswell.bot.review import ReviewService
from groundswell.bot.viewers import ViewerDirectory
from groundswell.core.taxonomy import TaxonomyError, accept
from groundswell.messaging.home import HomeData, ProposalLine, QualityLine, RecentLine, SourceLine, home_view
from groundswell.storage.audit import record_audit
from groundswell.storage.db import Engine, session_scope, utcnow
from groundswell.storage.slack import count_quality, list_recent_answers, list_subscriptions
from groundswell.storage.stats import count_by_source
from groundswell.storage.taxonomy import (
    decide_proposal,
    get_proposal,
    get_taxonomy,
    list_proposals,
    proposal_of,
    save_taxonomy,
)
from slack_sdk import WebClient

__all__ = ["HomeService"]

STALE_AFTER = timedelta(days=2)


class HomeService:
    def __init__(self, engine: Engine, viewers: ViewerDirectory, review: ReviewService | None = None) -> None:
        self.engine = engine
        self.viewers = viewers
        self.review = review

    def data_for(self, user_id: str) -> HomeData:
        admin = self.viewers.is_admin(user_id)
        review = self.review.section_for(user_id) if self.review else None
        with session_scope(self.engine) as session:
            subs = [f"{s.kind} {s.value} in <#{s.channel_id}>" for s in list_subscriptions(session=session,
                                                                                       user_id=user_id)]  # fmt: skip
            recent = [RecentLine(question=a.question, headline=a.headline, at=a.created_at)
                      for a in list_recent_answers(session=session, user_id=user_id, limit=8)]  # fmt: skip
            data = HomeData(user_id=user_id, is_admin=admin, subscriptions=subs, recent=recent, review=review)
            if not admin:
                return data
            now = utcnow()
            data.sources = [
                SourceLine(
                    name=s.source,
                    last_success_at=s.last_success_at,
                    last_error=s.last_error,
                    units=s.units,
                    stale=s.last_success_at is None or now - s.last_success_at > STALE_AFTER,
                )
                for s in count_by_source(session=session)
            ]
            data.proposals = [
                ProposalLine(id=p.id or 0, name=p.name, size=p.size, parent=p.suggested_parent, examples=p.examples[:1])
                for p in list_proposals(session=session)
            ]
            taxonomy = get_taxonomy(session=session)
            version = taxonomy.version if taxonomy else None
            q = count_quality(session=session, version=version)
            data.quality = QualityLine(classified=q.classified, needs_review=q.needs_review, labelled=q.labelled,
                                       taxonomy_version=version)  # fmt: skip
        return data

    def publish(self, client: WebClient, user_id: str) -> None:
        client.views_publish(user_id=user_id, view=home_view(self.data_for(user_id)))

    def proposal_name(self, proposal_id: int) -> str:
        with session_scope(self.engine) as session:
            return get_proposal(session=session, proposal_id=proposal_id).name

    def accept(self, proposal_id: int, *, actor: str, name: str | None = None) -> str:
        """Add the proposed theme (optionally renamed) as a new taxonomy version; returns its key."""
        try:
            with session_scope(self.engine) as session:
                row = get_proposal(session=session, proposal_id=proposal_id)
                if row.status != "pending":
                    raise UserError(f"That theme was already {row.status}.", "Refresh the Home tab.")
                current = get_taxonomy(session=session)
                if current is None:
                    raise UserError("There is no taxonomy yet.", "Import one with `groundswell taxonomy import`.")
                after, migration = accept(current, proposal_of(row), name=name)
                stored = save_taxonomy(session=session, taxonomy=after, migration=migration, created_by=actor)
                key = str(migration.params["key"])
                decide_proposal(session=session, proposal_id=proposal_id, status="accepted", actor=actor, theme_key=key)
                record_audit(session=session, actor=actor, action="taxonomy.accept", target=str(proposal_id),
                             details={"version": stored.version, **migration.params})  # fmt: skip
                return key
        except TaxonomyError as exc:
            raise UserError(f"I couldn't accept that theme: {exc}", "Fix it with `groundswell taxonomy`.") from exc

    def merge(self, proposal_id: int, *, into: str, actor: str) -> None:
        """The proposal is an existing theme after all: mark it accepted as ``into`` (no new version)."""
        with session_scope(self.engine) as session:
            taxonomy = get_taxonomy(session=session)
            if taxonomy is None or into not in {t.key for t in taxonomy.themes if t.status == "active"}:
                raise UserError(f"There is no active theme with key “{into}”.", "Check `groundswell taxonomy show`.")
            decide_proposal(session=session, proposal_id=proposal_id, status="accepted", actor=actor, theme_key=into)
            record_audit(session=session, actor=actor, action="taxonomy.merge_proposal", target=str(proposal_id),
                         details={"into": into})  # fmt: skip
