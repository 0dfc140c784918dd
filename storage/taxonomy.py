"""Taxonomy versions, themes and the proposal review queue (keyword-only functions).

A save always creates the next version (versions are immutable); an edit must start from the latest
version, so two reviewers editing at once cannot silently overwrite each other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from groundswell.core.errors import StorageError
from groundswell.core.taxonomy import Migration, Proposal, Taxonomy, ThemeDef, compose
from groundswell.storage.db import utcnow
from groundswell.storage.models import TaxonomyVersion, Theme, ThemeProposal
from sqlmodel import Session, col, func, select

__all__ = [
    "add_proposal",
    "decide_proposal",
    "get_proposal",
    "get_taxonomy",
    "latest_version",
    "list_proposals",
    "list_versions",
    "migration_between",
    "proposal_of",
    "save_taxonomy",
]

PROPOSAL_STATUSES = ("pending", "accepted", "rejected")


def latest_version(*, session: Session) -> int | None:
    return session.exec(select(func.max(TaxonomyVersion.version))).one()


def save_taxonomy(
    *,
    session: Session,
    taxonomy: Taxonomy,
    migration: Migration | None = None,
    created_by: str = "system",
    note: str = "",
) -> Taxonomy:
    """Store ``taxonomy`` as the next version; returns it with the version number it got."""
    latest = latest_version(session=session)
    if migration is not None and migration.from_version != latest:
        raise StorageError(
            f"the edit starts from taxonomy version {migration.from_version} but the latest is {latest}; "
            "reload and edit again"
        )
    version = (latest or 0) + 1
    stored_migration = (
        replace(migration, to_version=version)
        if migration is not None
        else Migration(edit="import", from_version=latest or 0, to_version=version)
    )
    session.add(
        TaxonomyVersion(
            version=version,
            parent_version=latest,
            note=note,
            migration=stored_migration.as_dict(),
            created_by=created_by,
            created_at=utcnow(),
        )
    )
    for t in taxonomy.themes:
        session.add(
            Theme(
                version=version,
                key=t.key,
                parent_key=t.parent_key,
                name=t.name,
                description=t.description,
                aliases=list(t.aliases),
                examples=list(t.examples),
                owner_team=t.owner_team,
                status=t.status,
            )
        )
    session.flush()
    return taxonomy.with_version(version)


def get_taxonomy(*, session: Session, version: int | None = None) -> Taxonomy | None:
    """One stored version (default: the latest), or ``None`` when there is none."""
    version = version if version is not None else latest_version(session=session)
    if version is None:
        return None
    rows = list(session.exec(select(Theme).where(Theme.version == version).order_by(col(Theme.id))))
    if not rows:
        return None
    return Taxonomy(
        version,
        tuple(
            ThemeDef(
                key=r.key,
                name=r.name,
                parent_key=r.parent_key,
                description=r.description,
                aliases=tuple(r.aliases or ()),
                examples=tuple(r.examples or ()),
                owner_team=r.owner_team,
                status=r.status,
            )
            for r in rows
        ),
    )


def list_versions(*, session: Session) -> list[TaxonomyVersion]:
    """Oldest first."""
    return list(session.exec(select(TaxonomyVersion).order_by(col(TaxonomyVersion.version))))


def migration_between(*, session: Session, from_version: int, to_version: int) -> Migration:
    """The stored edits from ``from_version`` up to ``to_version`` composed into one migration map."""
    if to_version <= from_version:
        raise StorageError(f"reprocess goes forward: version {to_version} is not after {from_version}")
    rows = list(
        session.exec(
            select(TaxonomyVersion)
            .where(TaxonomyVersion.version > from_version, TaxonomyVersion.version <= to_version)
            .order_by(col(TaxonomyVersion.version))
        )
    )
    if len(rows) != to_version - from_version:
        raise StorageError(f"taxonomy versions between {from_version} and {to_version} are missing")
    steps = [Migration.from_dict({**r.migration, "from_version": r.version - 1, "to_version": r.version}) for r in rows]
    return compose(steps)


# --- the review queue --------------------------------------------------------------------------------


def add_proposal(
    *,
    session: Session,
    name: str,
    description: str = "",
    terms: Sequence[str] = (),
    example_unit_ids: Sequence[str] = (),
    examples: Sequence[str] = (),
    size: int = 0,
    suggested_parent: str | None = None,
    taxonomy_version: int | None = None,
) -> ThemeProposal:
    row = ThemeProposal(
        name=name,
        description=description,
        terms=list(terms),
        example_unit_ids=list(example_unit_ids),
        examples=list(examples),
        size=size,
        suggested_parent=suggested_parent,
        taxonomy_version=taxonomy_version,
        created_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def list_proposals(*, session: Session, status: str | None = "pending") -> list[ThemeProposal]:
    """Largest first (then oldest); ``status=None`` lists every proposal."""
    statement = select(ThemeProposal).order_by(col(ThemeProposal.size).desc(), col(ThemeProposal.id))
    if status is not None:
        statement = statement.where(ThemeProposal.status == status)
    return list(session.exec(statement))


def get_proposal(*, session: Session, proposal_id: int) -> ThemeProposal:
    row = session.get(ThemeProposal, proposal_id)
    if row is None:
        raise StorageError(f"no theme proposal {proposal_id}")
    return row


def decide_proposal(
    *, session: Session, proposal_id: int, status: str, actor: str, theme_key: str | None = None
) -> ThemeProposal:
    """Accept or reject a pending proposal (a decided one cannot be decided again)."""
    if status not in PROPOSAL_STATUSES[1:]:
        raise StorageError(f"a proposal is accepted or rejected, not {status!r}")
    row = get_proposal(session=session, proposal_id=proposal_id)
    if row.status != "pending":
        raise StorageError(f"theme proposal {proposal_id} was already {row.status}")
    row.status, row.theme_key, row.decided_by, row.decided_at = status, theme_key, actor, utcnow()
    session.add(row)
    session.flush()
    return row


def proposal_of(row: ThemeProposal) -> Proposal:
    """The stored proposal as the domain value :func:`core.taxonomy.accept` takes."""
    return Proposal(
        name=row.name,
        description=row.description,
        terms=tuple(row.terms or ()),
        examples=tuple(row.examples or ()),
        suggested_parent=row.suggested_parent,
    )
