"""Ground truth under ``_truth/``: units, planted structure, seed taxonomy, identities, questions.

``truth.json`` keys:
``as_of`` / ``window`` (the corpus end and ``[start, end)``), ``release`` (4.12 name and date),
``semantics`` (how expected answers are counted, see ``demo.answers``), ``conventions`` (which
text each source's ``message_id`` and offsets refer to), ``counts`` (records/signals per source),
``planted`` (``rising``/``falling`` with weekly counts, ``spike`` with daily counts around the
release, ``enterprise_only``, ``arr_heavy``, ``omitted_themes``), ``duplicates`` (pairs),
``pii`` (every PII string with exact location), ``themes`` (the full tree), ``accounts``.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

from groundswell.demo.answers import SEMANTICS
from groundswell.demo.catalog import PARENTS, THEMES, role_theme, theme_by_id, theme_parent
from groundswell.demo.planning import Signal
from groundswell.demo.population import Population
from groundswell.demo.sources_support import iso
from groundswell.demo.timeline import Timeline
from groundswell.demo.writers import write_jsonl

__all__ = ["CONVENTIONS", "unit_rows", "write_truth"]

CONVENTIONS = {
    "zendesk": "external_id = ticket id; message_id = comment id; offsets into comment `body`",
    "intercom": "external_id = conversation id; message_id = `source.id` (opening message) or part id; offsets into "
    "the plain text of the single-paragraph HTML body (<p>...</p> stripped, entities unescaped)",
    "googleplay": "external_id = message_id = reviewId (from Review Link); offsets into `Review Text`",
    "delighted": "external_id = message_id = Response ID; offsets into `Comment`",
    "gong": "external_id = call id; message_id = '<call id>:<index of the monologue in transcript>'; offsets into "
    "the monologue's sentence texts joined with single spaces",
    "discourse": "external_id = message_id = post id; offsets into `raw` (paragraphs separated by a blank line)",
}
PEOPLE_HEADER = ["rec_id", "person_id", "source", "name", "email", "phone", "handle", "account_id"]


def unit_rows(signals: list[Signal]) -> list[dict[str, Any]]:
    rows = []
    for s in signals:
        theme = theme_by_id(s.theme)
        acct = s.account
        rows.append({
            "signal_id": s.id, "source": s.source, "external_id": s.external_id, "message_id": s.message_id,
            "char_start": s.char_start, "char_end": s.char_end, "text": s.text,
            "theme": theme_parent(theme).name, "subtheme": theme.name, "theme_id": theme.id,
            "sentiment": s.sentiment, "intent": s.intent, "severity": s.severity,
            "account_id": acct.id if acct else None, "person_id": s.person.id if s.person else None,
            "created_at": iso(s.at), "duplicate_of": s.duplicate_of.id if s.duplicate_of else None,
            "segment": acct.segment_at(s.at) if acct else None, "arr": acct.arr_at(s.at) if acct else None,
            "language": s.language,
        })  # fmt: skip
    return rows


def _weekly(units: list[dict[str, Any]], path: str, tl: Timeline) -> list[dict[str, Any]]:
    weeks = int((tl.end - tl.start).days // 7)
    out = []
    for i in range(weeks, 0, -1):
        start, end = iso(tl.end - timedelta(days=7 * i)), iso(tl.end - timedelta(days=7 * (i - 1)))
        n = sum(1 for u in units if _orig_of(u, path) and start <= u["created_at"] < end)
        out.append({"start": start, "end": end, "count": n})
    return out


def _orig_of(unit: dict[str, Any], path: str) -> bool:
    return not unit["duplicate_of"] and f"{unit['theme']} > {unit['subtheme']}" == path


def _planted(units: list[dict[str, Any]], pop: Population, tl: Timeline) -> dict[str, Any]:
    spike = role_theme("spike").path
    days = []
    for d in range(-14, 14):
        day = tl.release_412.replace(hour=0) + timedelta(days=d)
        if day + timedelta(days=1) > tl.end:
            break
        lo, hi = iso(day), iso(day + timedelta(days=1))
        days.append(
            {"date": lo[:10], "count": sum(1 for u in units if _orig_of(u, spike) and lo <= u["created_at"] < hi)}
        )
    baseline = sum(d["count"] for d in days[:14]) / 14
    peak = max((d["count"] for d in days[14:20]), default=0)
    ent, heavy = role_theme("enterprise_only").path, role_theme("arr_heavy").path
    heavy_units = [u for u in units if _orig_of(u, heavy)]
    heavy_accounts = sorted({u["account_id"] for u in heavy_units if u["account_id"]})
    volume = Counter(f"{u['theme']} > {u['subtheme']}" for u in units if not u["duplicate_of"])
    return {
        "rising": {"theme": role_theme("rising").path, "weekly": _weekly(units, role_theme("rising").path, tl)},
        "falling": {"theme": role_theme("falling").path, "weekly": _weekly(units, role_theme("falling").path, tl)},
        "spike": {"theme": spike, "release": "Brightloop 4.12", "released_at": iso(tl.release_412),
                  "daily": days, "baseline_per_day": round(baseline, 2),
                  "peak_ratio": round(peak / baseline, 2) if baseline else None},
        "enterprise_only": {"theme": ent, "segments": dict(Counter(u["segment"] for u in units if _orig_of(u, ent)))},
        "arr_heavy": {"theme": heavy, "mentions": len(heavy_units), "accounts": heavy_accounts,
                      "arr_sum_now": sum(pop.account(a).arr_at(tl.end) for a in heavy_accounts),  # type: ignore[union-attr]
                      "volume_rank": sorted(volume, key=lambda k: (-volume[k], k)).index(heavy) + 1
                      if heavy in volume else None},
        "omitted_themes": [t.path for t in THEMES if t.omitted],
    }  # fmt: skip


def _theme_entry(theme_id: str, parent: str | None, name: str, description: str, aliases: list[str], owner: str):  # noqa: ANN202
    return {"id": theme_id, "parent": parent, "name": name, "description": description, "aliases": aliases,
            "owner": owner}  # fmt: skip


def _taxonomy(include_omitted: bool) -> list[dict[str, Any]]:
    out = [_theme_entry(p.id, None, p.name, p.description, [], p.owner) for p in PARENTS]
    for t in THEMES:
        if include_omitted or not t.omitted:
            out.append(_theme_entry(t.id, t.parent, t.name, t.description, list(t.aliases), theme_parent(t).owner))
    return out


def write_truth(
    out: Path, *, signals: list[Signal], pop: Population, tl: Timeline, pii: list[dict[str, Any]],
    people_rows: list[dict[str, str]], counts: dict[str, int], questions_fn: Any, seed: int,
) -> dict[str, Any]:  # fmt: skip
    d = out / "_truth"
    units = unit_rows(signals)
    write_jsonl(d / "units.jsonl", units)
    questions = questions_fn(units)
    write_jsonl(d / "questions.jsonl", questions)
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=PEOPLE_HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(people_rows)
    (d / "people.csv").write_text(buf.getvalue(), encoding="utf-8")
    (d / "seed_taxonomy.json").write_text(
        json.dumps({"themes": _taxonomy(False)}, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    truth = {
        "seed": seed, "as_of": iso(tl.end), "window": {"start": iso(tl.start), "end": iso(tl.end)},
        "release": {"name": "Brightloop 4.12", "released_at": iso(tl.release_412)},
        "semantics": SEMANTICS, "conventions": CONVENTIONS, "counts": counts,
        "planted": _planted(units, pop, tl),
        "duplicates": [{"signal_id": u["signal_id"], "duplicate_of": u["duplicate_of"], "source": u["source"]}
                       for u in units if u["duplicate_of"]],
        "pii": pii, "themes": _taxonomy(True),
        "accounts": [{"id": a.id, "name": a.name, "parent_id": a.parent_id, **a.current} for a in pop.accounts],
        "questions": len(questions),
    }  # fmt: skip
    (d / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truth
