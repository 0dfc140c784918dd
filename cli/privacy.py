"""`groundswell privacy …`: see what a pseudonym stands for (audited) and destroy originals on request."""

from __future__ import annotations

from typing import Annotated

import typer
from groundswell.cli.output import out, print_json
from groundswell.core.errors import ConfigurationError
from groundswell.core.privacy import Vault
from groundswell.core.privacy.reveal import TOKEN, reveal_text
from groundswell.core.retention import parse_retention
from groundswell.jobs.embed import remove_vectors
from groundswell.jobs.forget import forget as forget_person
from groundswell.jobs.remote_redaction import TrackerTally, push_redactions
from groundswell.storage.audit import record_audit
from groundswell.storage.db import session_scope, utcnow
from groundswell.storage.forget import ForgetRequest
from groundswell.storage.privacy import erase_pseudonyms, get_ciphertexts
from groundswell.storage.rekey import rekey_pseudonyms
from groundswell.storage.retention import apply_policy
from groundswell.storage.units import get_units

from groundswell.runtime import build_runtime
from groundswell.settings import Settings

__all__ = ["TOKEN", "app", "reveal_text"]

app = typer.Typer(
    no_args_is_help=True, help="Pseudonymised PII: reveal for an authorised viewer, erase on request, forget a person."
)


@app.command()
def reveal(
    unit_id: Annotated[str, typer.Argument(help="The feedback unit to show unredacted.")],
    actor: Annotated[str, typer.Option(help="Who is looking (recorded in the audit log).")],
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Show a unit with its pseudonyms resolved. Every reveal is written to the audit log."""
    runtime = build_runtime(Settings())
    vault = Vault(runtime.pii_key)
    with session_scope(runtime.engine) as session:
        rows = get_units(session=session, ids=[unit_id])
        if not rows:
            raise ConfigurationError(f"no live feedback unit {unit_id!r}")
        text = rows[0].unit.text
        tokens = sorted(set(TOKEN.findall(text)))
        originals = {t: vault.decrypt(c) for t, c in get_ciphertexts(session=session, tokens=tokens).items()}
        record_audit(session=session, actor=actor, action="privacy.reveal", target=unit_id, details={"tokens": tokens})
    revealed = reveal_text(text, originals)
    if json_output:
        hidden = sorted(set(tokens) - set(originals))
        print_json({"unit_id": unit_id, "text": revealed, "revealed": sorted(originals), "erased_or_unknown": hidden})
    else:
        out.print(revealed)


@app.command()
def erase(
    tokens: Annotated[
        list[str], typer.Argument(help="Pseudonyms whose originals must be destroyed, e.g. '<EMAIL_19c2>'.")
    ],
    actor: Annotated[str, typer.Option(help="Who asked (recorded in the audit log).")],
) -> None:
    """Destroy the originals behind pseudonyms (deletion on request); texts keep the tokens."""
    runtime = build_runtime(Settings())
    with session_scope(runtime.engine) as session:
        erased = erase_pseudonyms(session=session, tokens=tokens)
        record_audit(session=session, actor=actor, action="privacy.erase", target=None, details={"tokens": tokens})
    out.print(f"erased {erased} of {len(tokens)} pseudonyms")


@app.command()
def forget(
    actor: Annotated[str, typer.Option(help="Who asked (recorded with the receipt; the person is not).")],
    email: Annotated[list[str] | None, typer.Option(help="An email of the person (repeatable).")] = None,
    external_id: Annotated[
        list[str] | None, typer.Option(help="A source or CRM id of the person, 'zendesk:123' or '123' (repeatable).")
    ] = None,
    person: Annotated[list[int] | None, typer.Option(help="A person id (repeatable).")] = None,
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Erase a person from every store (records, units, vectors, identities, vault, copies) and suppress them."""
    request = ForgetRequest(
        emails=tuple(email or ()), external_ids=tuple(external_id or ()), person_ids=tuple(person or ())
    )
    if not request:
        raise ConfigurationError("name the person: --email, --external-id or --person")
    settings = Settings()
    runtime = build_runtime(settings)
    receipt = forget_person(
        engine=runtime.engine,
        index=runtime.vectors,
        vault=Vault(runtime.pii_key),
        request=request,
        actor=actor,
        conversations=runtime.forget_conversations,
        trackers=runtime.configured_trackers,
    )
    if json_output:
        print_json(receipt.as_dict())
        return
    out.print(f"receipt {receipt.id} ({receipt.created_at.isoformat()}): {receipt.people} people")
    for store, n in receipt.counts.items():
        out.print(f"  {store}: {n}")
    out.print(f"  suppressed identifiers: {receipt.suppressed}")
    _print_tallies(receipt.trackers)


def _print_tallies(tallies: dict[str, TrackerTally]) -> None:
    for name, tally in sorted(tallies.items()):
        out.print(f"  {name} tickets: {tally.updated} updated, {tally.failed} failed (kept for the next run)")
        for reason, n in sorted(tally.reasons.items()):
            out.print(f"    {n} × {reason}")


@app.command("redact-trackers")
def redact_trackers(json_output: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Send the redacted text of filed Jira/Linear tickets a forget could not update yet (every forget also
    retries them); failures stay queued."""
    runtime = build_runtime(Settings())
    tallies = push_redactions(engine=runtime.engine, trackers=runtime.configured_trackers)
    if json_output:
        print_json({name: tally.as_dict() for name, tally in sorted(tallies.items())})
        return
    if not tallies:
        out.print("no ticket waits for redaction on a tracker")
    _print_tallies(tallies)


@app.command()
def rekey(json_output: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Rewrite 16-bit pseudonyms of older versions as 64-bit ones in every store (the migration path runs it too;
    a second run changes nothing)."""
    runtime = build_runtime(Settings())
    with session_scope(runtime.engine) as session:
        outcome = rekey_pseudonyms(session=session, key=runtime.pii_key)
    summary = outcome.as_dict()
    if json_output:
        print_json(summary)
        return
    out.print(f"re-keyed {summary['rekeyed']} pseudonyms ({summary['erased_kept']} erased kept as they are)")
    for store, n in summary["rows"].items():
        out.print(f"  {store}: {n} rows")
    if outcome.unreadable:
        out.print(f"  not re-keyed: {len(outcome.unreadable)} (the PII key does not open them)")


@app.command()
def retention(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be purged; change nothing.")] = False,
    json_output: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Apply GROUNDSWELL_RETENTION now (what the daily `retention` job does), or show what it would purge."""
    settings = Settings()
    policy = parse_retention(settings.retention, settings.retention_days)
    if not policy:
        raise ConfigurationError(
            "no retention configured: set GROUNDSWELL_RETENTION (e.g. 'zendesk:365,*.raw_payload:90')"
        )
    runtime = build_runtime(settings)
    with session_scope(runtime.engine) as session:
        outcome = apply_policy(session=session, policy=policy, now=utcnow(), dry_run=dry_run)
    if not dry_run:
        remove_vectors(index=runtime.vectors, unit_ids=outcome.unit_ids)
    purged = outcome.by_source()
    if json_output:
        print_json({"dry_run": dry_run, "purged": purged})
        return
    verb = "would purge" if dry_run else "purged"
    if not purged:
        out.print(f"nothing to purge ({verb} 0 rows)")
    for source, stores in purged.items():
        out.print(f"{source}: {verb} " + ", ".join(f"{store} {n}" for store, n in stores.items()))
