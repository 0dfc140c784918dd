"""`groundswell taxonomy discover` and `groundswell taxonomy reprocess`: the two long-running taxonomy commands.

Both read the units' stored vectors from the index (embedding only units that have none)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import numpy as np
import typer
from groundswell.cli.output import err, out, print_json
from groundswell.core.discovery import DiscoveryConfig, default_min_size, discover_themes, embed_texts, select_unfit
from groundswell.core.protocols import Embedder, VectorReader
from groundswell.core.taxonomy import Taxonomy
from groundswell.jobs.classify import reclassify_stale, reprocess_taxonomy, stored_vectors
from groundswell.storage.audit import record_audit
from groundswell.storage.classifications import theme_keys
from groundswell.storage.db import Engine, session_scope
from groundswell.storage.taxonomy import add_proposal, latest_version, list_proposals, migration_between
from groundswell.storage.taxonomy_reprocess import discovery_units, latest_classified_version

from groundswell.runtime import Runtime, build_runtime
from groundswell.settings import Settings

__all__ = ["register", "theme_prototypes"]


def theme_prototypes(taxonomy: Taxonomy, embedder: Embedder) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Vectors of the active themes' own words, and one centroid per root theme (for suggested parents)."""
    themes = taxonomy.active
    texts = [". ".join([t.name, t.description, ", ".join(t.aliases), *t.examples]) for t in themes]
    vectors = embed_texts(embedder, texts) if texts else np.zeros((0, embedder.dimension))
    index = {t.key: i for i, t in enumerate(themes)}
    parents = {
        root.key: vectors[[index[k] for k in [root.key, *taxonomy.descendants(root.key)] if k in index]].mean(axis=0)
        for root in themes
        if root.parent_key is None
    }
    return vectors, parents


def _reader(runtime: Runtime) -> VectorReader | None:
    index = runtime.vectors
    return index if isinstance(index, VectorReader) else None


def register(
    app: typer.Typer,
    *,
    load: Callable[[Engine, int | None], Taxonomy],
    engine: Callable[[], Engine],
    actor: Callable[[str | None], str],
) -> None:
    """Adds ``discover`` and ``reprocess`` to the taxonomy group (helpers come from :mod:`cli.taxonomy`)."""

    @app.command()
    def discover(
        min_size: Annotated[
            int | None, typer.Option("--min-size", help="Smallest theme (default: max(8, 0.2% of unfit units)).")
        ] = None,
        seed: Annotated[int, typer.Option(help="Same seed, same proposals.")] = 0,
        limit: Annotated[int, typer.Option(help="Newest units to consider.")] = 20_000,
        fit_threshold: Annotated[
            float, typer.Option(help="A unit closer than this (cosine) to an existing theme fits it.")
        ] = 0.5,
        who: Annotated[str | None, typer.Option("--actor", help="Who runs it.")] = None,
        json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Cluster units that fit no theme and queue each cluster as a proposal for review.

        Units the classifier put in ``other`` under the latest version fit no theme; units not classified yet are
        judged by their cosine to the themes' own words (``--fit-threshold``)."""
        runtime = build_runtime(Settings())
        db = engine()
        with session_scope(db) as session:
            units = discovery_units(session=session, limit=limit)
            version = latest_version(session=session)
            has_taxonomy = version is not None
            pending = {p.name for p in list_proposals(session=session)}
            known = theme_keys(session=session, version=version, ids=[i for i, _ in units]) if has_taxonomy else {}
        taxonomy = load(db, None) if has_taxonomy else None
        err.print(f"Reading the vectors of {len(units)} units …")
        vectors = stored_vectors(
            lambda texts: embed_texts(runtime.embedder, texts), _reader(runtime), [i for i, _ in units],
            [t for _, t in units],
        ).reshape(len(units), -1)  # fmt: skip
        theme_vectors, parents = theme_prototypes(taxonomy, runtime.embedder) if taxonomy else (np.zeros((0, 1)), {})
        classified = np.asarray([uid in known for uid, _ in units], dtype=bool)
        other = np.asarray([known.get(uid, "") is None for uid, _ in units], dtype=bool)
        far = select_unfit(vectors, theme_vectors, fit_threshold) if len(units) else classified
        unfit = np.flatnonzero(np.where(classified, other, far))
        texts = [units[i][1] for i in unfit]
        config = DiscoveryConfig(min_cluster_size=min_size or default_min_size(len(texts)), seed=seed)
        result = discover_themes(texts, vectors[unfit] if len(unfit) else np.zeros((0, 1)), parents=parents,
                                 config=config)  # fmt: skip
        stored: list[dict[str, Any]] = []
        with session_scope(db) as session:
            for p in result.proposals:
                if p.name in pending:
                    continue
                row = add_proposal(
                    session=session, name=p.name, terms=p.terms, size=p.size,
                    example_unit_ids=[units[unfit[i]][0] for i in p.examples], examples=[texts[i] for i in p.examples],
                    suggested_parent=p.suggested_parent, taxonomy_version=taxonomy.version if taxonomy else None,
                    description=f"Discovered: {p.size} units, cohesion {p.cohesion:.2f}.",
                )  # fmt: skip
                stored.append({"id": row.id, "name": row.name, "size": row.size, "parent": row.suggested_parent})
            details = {
                "units": len(units), "unfit": len(texts), "proposals": len(stored), "seed": seed,
                "min_size": config.min_cluster_size,
            }  # fmt: skip
            record_audit(session=session, actor=actor(who), action="taxonomy.discover", target=None, details=details)
        if json_output:
            print_json({**details, "coverage": round(result.coverage, 4), "stored": stored})
            return
        out.print(f"{len(texts)} of {len(units)} units fit no theme well; {len(stored)} new proposals:")
        for s in stored:
            out.print(f"  #{s['id']} {s['name']}  size={s['size']} parent?={s['parent']}")

    @app.command()
    def reprocess(
        to: Annotated[int | None, typer.Option("--to", help="Target taxonomy version (default: latest).")] = None,
        source: Annotated[int | None, typer.Option("--from", help="Source version (default: newest).")] = None,
        batch: Annotated[int, typer.Option(min=1, help="Units per transaction.")] = 1000,
        relabel: Annotated[
            bool, typer.Option("--relabel", help="Then reclassify units classified before the newest review label.")
        ] = False,
        who: Annotated[str | None, typer.Option("--actor", help="Who runs it.")] = None,
        json_output: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Move classifications to version ``--to`` by the migration maps, in resumable batches.

        Renames, moves, merges and retirements move directly; units of a split theme are classified again among
        its parts (and units the map drops, among every theme), from stored vectors; low confidence goes to
        review. ``--relabel`` then reclassifies every machine-made classification of the version older than its
        newest review label (resumable: run it again after an interruption)."""
        runtime = build_runtime(Settings())
        db = engine()
        target = load(db, to)
        with session_scope(db) as session:
            start = source if source is not None else latest_classified_version(session=session, before=target.version)
            migration = (
                migration_between(session=session, from_version=start, to_version=target.version) if start else None
            )
        summary: dict[str, Any] = {"from": start, "to": target.version, "migrated": 0, "needs_review": 0}
        summary |= {"reclassified": 0, "done": True}
        if migration is not None:
            report = reprocess_taxonomy(
                engine=db, migration=migration, taxonomy=target, batch_size=batch, vectors=_reader(runtime),
                classifier=lambda: runtime.fit_unit_classifier(version=target.version),
                tick=lambda n: err.print(f"  {n} classifications in v{target.version}"),
            )  # fmt: skip
            summary |= report.as_dict()
        if relabel:
            classifier = runtime.fit_unit_classifier(version=target.version)
            summary["relabelled"] = (
                reclassify_stale(engine=db, classifier=classifier, vectors=_reader(runtime), batch_size=batch)
                if classifier is not None
                else 0
            )
        with session_scope(db) as session:
            record_audit(
                session=session, actor=actor(who), action="taxonomy.reprocess", target=str(target.version),
                details=summary,
            )  # fmt: skip
        if json_output:
            print_json(summary)
            return
        if migration is None:
            out.print("no classifications below this version yet: the classification job writes them")
        else:
            out.print(
                f"v{start} → v{target.version}: {summary['migrated']} moved, {summary['reclassified']} classified "
                f"again among split parts, {summary['needs_review']} flagged for review"
            )
        if relabel:
            out.print(f"{summary['relabelled']} units reclassified after new review labels")
