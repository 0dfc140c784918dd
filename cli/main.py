"""The one `groundswell` command. Each group of subcommands lives in its own module."""

from __future__ import annotations

import typer
from groundswell.cli import (
    ask,
    audit,
    bench,
    data,
    digest,
    evals,
    identity,
    jobs,
    llm,
    mcp_cli,
    privacy,
    query,
    releases,
    review,
    slack,
    sources,
    taxonomy,
    tickets,
    tokens,
)
from groundswell.core.errors import GroundswellError

__all__ = ["app", "main"]

app = typer.Typer(
    name="groundswell",
    help="Customer intelligence from every feedback source, with exact numbers and citations.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
data.register(app)
query.register(app)
slack.register(app)
ask.register(app)
digest.register(app)
app.add_typer(bench.app, name="bench", help="Speed and memory benchmarks (JSON with --json).")
app.add_typer(evals.app, name="eval")
app.add_typer(privacy.app, name="privacy")
app.add_typer(identity.app, name="identity", help="People and their merges: look up, history, merge, unmerge, resolve.")
app.add_typer(taxonomy.app, name="taxonomy", help="The versioned theme tree: import, edit, review discovered themes.")
app.add_typer(releases.app, name="releases", help="Release dates, for questions like 'the week after 4.12'.")
app.add_typer(review.app, name="review", help="Review low-confidence classifications and label units.")
app.add_typer(llm.app, name="llm", help="Language-model usage: calls, tokens and cost per day and purpose.")
app.add_typer(sources.app, name="sources")
app.add_typer(tickets.app, name="ticket")
app.add_typer(audit.app, name="audit", help="Who asked what, via which surface, with what data and answer.")
app.add_typer(tokens.app, name="tokens")
jobs.register(app)
mcp_cli.register(app)


def main() -> None:
    """Entry point: known errors become one readable line and exit code 2, never a traceback."""
    try:
        app()
    except GroundswellError as exc:
        from groundswell.cli.output import err

        err.print(f"[bold red]error:[/] {exc}")
        raise SystemExit(2) from exc


if __name__ == "__main__":
    main()
