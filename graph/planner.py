"""The deterministic planner: a question (and the thread's previous plan) -> a :class:`core.query.QueryPlan`.

Only the question is read, never feedback text, so nothing customers wrote can steer a plan. Names come from
the :class:`core.query.Vocabulary`; the rules know the shape of questions, not the customer's themes.

Defaults (each recorded in ``plan.notes`` when used):

- no window: the last 30 days; a question about one named theme or account, or one asking for a total
  ("in total", "ever"), covers all history;
- comparisons and growth without a previous window compare with the window of the same length just before;
- rankings keep the top 5 (risers: top 3; by source/segment/plan: all of them).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from groundswell.core.protocols import Embedder
from groundswell.core.query import Exclusions, Filters, QueryPlan, RankingWeights, Vocabulary, Window
from groundswell.graph.planner_entities import Matches, match_entities
from groundswell.graph.planner_followup import follow_up, is_follow_up
from groundswell.graph.planner_message import focus_question
from groundswell.graph.planner_negation import split_negations
from groundswell.graph.planner_pipeline import apply_lost_shape, parse_lost_pipeline
from groundswell.graph.planner_pm import apply_pm_shape, apply_pm_time, expand, pm_cues, unknown_places
from groundswell.graph.planner_shape import COUNT, detect_shape
from groundswell.graph.planner_text import GENERIC, STRUCTURE, Span, Text, normalize, stem, tokens_of
from groundswell.graph.planner_themes import loose_theme, suggest_themes, theme_label
from groundswell.graph.planner_time import MONTHS, TimeParse, parse_time, release_since

__all__ = ["DEFAULT_WINDOW_DAYS", "HELP", "plan_question", "with_releases"]

DEFAULT_WINDOW_DAYS = 30
HELP = (
    "I answer questions about customer feedback, e.g. 'top 5 themes last 30 days', 'how many bug reports this "
    "week?', 'which accounts raised churn risk?', 'SSO login failures: last 30 days vs the 30 before'."
)
_STRUCTURE = frozenset(STRUCTURE) | frozenset(stem(w) for w in STRUCTURE)
_GENERIC = frozenset(GENERIC) | frozenset(stem(w) for w in GENERIC) | frozenset(MONTHS)
_TOPIC_BEFORE = frozenset(tokens_of("about on regarding around mention mentioned mentioning behind with re is are "
                                    "concerning bring raise raised into of has have had"))  # fmt: skip
_CUE_WORDS = "overview summary priorities prioritise prioritize source segment breakdown accounts customers"
_TOPIC_NAMED = frozenset(tokens_of("about regarding concerning re mention mentioned mentioning around with"))
_TOPIC_AFTER = frozenset(
    tokens_of("request issue problem feedback complaint signal mention ticket trending bug come came show pop")
)
_RENEWAL = re.compile(
    r"\b(renew\w*|up for renewal|renewal)\s+(with)?in\s+(the\s+)?(next\s+)?(\d+)\s*(days?|d|weeks?|months?)\b"
)
_SAYS = re.compile(r"\bwhat (?:does|do|did|is|are|has) (.+?) (?:say|saying|said|think|want|complain\w*|ask\w*)\b")
# units holding both praise and a complaint (the stored ``mixed`` flag)
_MIXED = re.compile(
    r"\b(?:mixed|both positive and negative|love[- ]hate|bittersweet)\s+"
    r"(?:feedback|reviews?|sentiment|feelings|signals?|comments?)\b|\bmixed\b(?= about)"
)
_NAMED_ACCOUNT = re.compile(r"\baccount (?:named|called) ([\w .&'-]+?)(?:\?|$|,| in | last | say)")
_GROUP_SIZES = {"intent": 7, "sentiment": 3, "severity": 4}


def with_releases(vocabulary: Vocabulary, releases: dict[str, datetime]) -> Vocabulary:
    """The vocabulary with the company's release dates (``storage.releases.list_releases``) added."""
    return vocabulary.model_copy(update={"releases": {**vocabulary.releases, **releases}})


def _lexicon(vocabulary: Vocabulary) -> set[str]:
    words: set[str] = set()
    names = [t.name for t in vocabulary.themes] + [a for t in vocabulary.themes for a in t.aliases]
    names += [t.parent_name or "" for t in vocabulary.themes] + vocabulary.segments + vocabulary.sources
    names.append(_CUE_WORDS)  # the words answer kinds turn on are spelt-checked too ("overveiw", "priorties")
    names.extend(MONTHS)  # "octobr"
    for name in names:
        words.update(re.findall(r"[a-z]+", name.lower()))
    return words


def _window(start: datetime, end: datetime, label: str) -> Window:
    return Window(start=start, end=end, label=label)


def _content_runs(text: Text) -> list[list[int]]:
    """Runs of unexplained content words; a run may bridge one common word ("eu data residency")."""
    runs: list[list[int]] = []
    for i in (i for i in text.leftover() if _is_content(text, i)):
        if runs and (runs[-1][-1] == i - 1 or (runs[-1][-1] == i - 2 and _bridge(text, i - 1))):
            if runs[-1][-1] == i - 2:
                runs[-1].append(i - 1)
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _topic_runs(text: Text, question: str) -> list[list[int]]:
    """Runs of unexplained content words in a topic position ("about X", "X requests", "X: ...")."""
    runs = _content_runs(text)
    head = re.match(r"^\s*([^:?]{2,80}):", question)
    head_len = len(tokens_of(head.group(1))) if head else 0
    out = []
    for run in runs:
        before = text.words[max(0, run[0] - 3) : run[0]]
        after = text.words[run[-1] + 1 : run[-1] + 2]
        if run[0] < head_len or _TOPIC_BEFORE.intersection(before) or _TOPIC_AFTER.intersection(after):
            out.append(run)
    return out


def _named_topic(text: Text, run: list[int]) -> bool:
    """A run the question names as its topic ("about X", "mentioning X", "X complaints"), not a verb or filler
    after "is"/"have"/"on" ("we have received", "is putting", "on their plate")."""
    before = text.words[max(0, run[0] - 3) : run[0]]
    after = text.words[run[-1] + 1 : run[-1] + 2]
    nouns = [i for i in run if not (text.raw[i].endswith(("ed", "ing")) and text.words[i] != text.raw[i])]
    return bool(nouns) and bool(_TOPIC_NAMED.intersection(before) or _TOPIC_AFTER.intersection(after))


def _word_likeness(text: Text, content: list[int], vocabulary: Vocabulary, groups: list[list[str]]) -> list[str]:
    words = [text.words[i] for i in content]
    return loose_theme(words, "", vocabulary, generic=_GENERIC, embedder=None, groups=groups).weak


def _bridge(text: Text, i: int) -> bool:
    return text.words[i] not in _STRUCTURE and text.raw[i] not in _STRUCTURE and i in text.leftover()


def _is_content(text: Text, i: int) -> bool:
    word, raw = text.words[i], text.raw[i]
    return len(raw) >= 2 and not raw[0].isdigit() and word not in _GENERIC and raw not in _GENERIC


def _themes(
    text: Text, question: str, vocabulary: Vocabulary, matches: Matches, embedder: Embedder | None, notes: list[str]
) -> tuple[list[str], str | None]:
    """Theme keys, or a clarifying question."""
    if matches.theme_ties:
        labels = [theme_label(vocabulary, k) for k in matches.theme_ties[0]]
        return [], f"Which theme do you mean: {' or '.join(labels)}?"
    keys = list(matches.get("themes"))
    parents = {t.key: t.parent_key for t in vocabulary.themes}
    keys = [k for k in keys if not any(parents.get(other) == k for other in keys)]  # "3ds at checkout": the leaf
    if keys:
        return keys, None
    runs = _topic_runs(text, question)
    content = [i for i in text.leftover() if _is_content(text, i)]
    if not content:
        return [], None
    phrase = " ".join(text.raw[i] for run in runs for i in run) or " ".join(text.raw[i] for i in content)
    context = " ".join(text.raw[i] for i in text.leftover())
    groups = [[text.words[i] for i in run if _is_content(text, i)] for run in _content_runs(text)]
    loose = loose_theme([text.words[i] for i in content], context, vocabulary, generic=_GENERIC, embedder=embedder,
                        groups=groups)  # fmt: skip
    if loose.key:
        notes.append(f"'{phrase}' read as theme {theme_label(vocabulary, loose.key)} ({loose.via})")
        return [loose.key], None
    if loose.ties:
        labels = [theme_label(vocabulary, k) for k in loose.ties]
        return [], f"'{phrase}' could be {' or '.join(labels)}: which one do you mean?"
    weak = [theme_label(vocabulary, k) for k in loose.weak]
    closest = list(dict.fromkeys([*weak, *suggest_themes(phrase, vocabulary)]))[:3] if vocabulary.themes else []
    if loose.weak and not runs:  # a loose likeness never becomes a filter; say so and answer without one
        notes.append(
            f"'{phrase}' did not match a theme closely enough (closest: {', '.join(closest)}): no theme filter"
        )
        return [], None
    # words not named as a topic ("is possible to see") with no likeness in their own words (a faint embedding
    # likeness aside) are fillers: no theme filter and no question back
    word_weak = loose.weak if embedder is None else _word_likeness(text, content, vocabulary, groups)
    if runs and not word_weak and not any(_named_topic(text, run) for run in runs):
        notes.append(f"'{phrase}' matched no theme and was not named as a topic: no theme filter")
        return [], None
    if runs:
        hint = ", ".join(closest)
        unknown = "I did not recognise a theme in" if loose.weak else "I don't know a theme called"
        return [], f"{unknown} '{phrase}'." + (f" Closest themes: {hint}. Which one do you mean?" if hint else "")
    return [], None


def _unknown_account(question: str, vocabulary: Vocabulary, found: list[str]) -> str | None:
    m = _SAYS.search(question) or _NAMED_ACCOUNT.search(question)
    if found or not m:
        return None
    words = [w for w in tokens_of(m.group(1)) if w not in _GENERIC]
    segments = {w for s in vocabulary.segments for w in tokens_of(s)}
    if not words or set(words) <= segments or "arr" in tokens_of(m.group(1)):
        return None
    return f"I don't know an account called '{m.group(1).strip()}'. Which account do you mean?"


def plan_question(
    question: str,
    *,
    vocabulary: Vocabulary,
    as_of: datetime,
    previous: QueryPlan | None = None,
    embedder: Embedder | None = None,
) -> QueryPlan:
    """Plan one question. Never guesses: ambiguity -> ``clarify``; nothing recognisable -> ``help``.

    After a ``clarify``, an answer that names a theme or an account re-plans the question that was asked back.
    """
    if previous is not None and previous.kind == "clarify" and previous.question:
        answer = _plan(question, vocabulary=vocabulary, as_of=as_of, previous=None, embedder=embedder)
        fields = ("themes", "accounts")
        chosen = {name: getattr(answer.filters, name) for name in fields if getattr(answer.filters, name)}
        if answer.kind != "clarify" and chosen:
            plan = _plan(previous.question, vocabulary=vocabulary, as_of=as_of, previous=None, embedder=embedder,
                         resolved=chosen)  # fmt: skip
            return plan.model_copy(update={"notes": [*plan.notes, f"clarified by: {question}"]})
    return _plan(question, vocabulary=vocabulary, as_of=as_of, previous=previous, embedder=embedder)


def _plan(
    question: str,
    *,
    vocabulary: Vocabulary,
    as_of: datetime,
    previous: QueryPlan | None,
    embedder: Embedder | None,
    resolved: dict[str, list[str]] | None = None,
) -> QueryPlan:
    resolved = resolved or {}
    asked = question
    question = focus_question(asked)
    text = Text.parse(expand(question), _lexicon(vocabulary))
    cues = pm_cues(" ".join(text.raw))
    _use_chars(text, cues.spans)
    flat = cues.strip(" ".join(text.raw))
    renewal = _RENEWAL.search(flat)
    renewing = None
    if renewal:
        renewing = int(renewal.group(5)) * {"d": 1, "w": 7, "m": 30}[renewal.group(6)[0]]
        flat_time = flat[: renewal.start()] + flat[renewal.end() :]
        text.take("renewing", "renewal", "renew")
    else:
        flat_time = flat
    lost = parse_lost_pipeline(flat_time, text)
    if lost is not None and lost.span is not None:
        flat_time = flat_time[: lost.span[0]] + flat_time[lost.span[1] :]
    time = parse_time(flat_time, as_of=as_of, releases=vocabulary.releases)
    apply_pm_time(flat_time, time, vocabulary.releases)
    text.take_before("complain", "about")  # "complaining (the most) about" asks for topics: no filter
    matches = match_entities(text, vocabulary, generic=_GENERIC)
    negations = split_negations(text, matches, is_content=_is_content)
    places = unknown_places(text, _is_content)
    notes: list[str] = [f"read the question as: '{question}'"] if question != asked else []
    notes.extend(negations.notes)
    base = dict(as_of=as_of, question=asked, taxonomy_version=vocabulary.taxonomy_version)

    def clarify(message: str) -> QueryPlan:
        return QueryPlan(kind="clarify", clarification=message, notes=notes, **base)  # type: ignore[arg-type]

    if time.unknown_release:
        known = ", ".join(sorted(vocabulary.releases)) or "none recorded"
        return clarify(f"I don't know release {time.unknown_release} (known releases: {known}). Which one?")
    matches.values.update({k: v for k, v in resolved.items() if k == "accounts"})
    unknown = _unknown_account(" ".join(text.raw), vocabulary, matches.get("accounts"))  # spelling repaired
    if unknown:
        return clarify(unknown)
    if "themes" in resolved:
        themes = resolved["themes"]
    else:
        themes, question_back = _themes(text, normalize(question), vocabulary, matches, embedder, notes)
        if question_back:
            return clarify(question_back)
    # "how many ... since 2.3.0" counts from the release on; "what changed after it" compares the weeks around it
    counted = time.release is not None and re.search(COUNT, flat) is not None
    has_previous = time.previous is not None and not counted
    shape = detect_shape(
        flat, has_theme=bool(themes), has_previous=has_previous, has_account=bool(matches.get("accounts"))
    )
    if lost is not None:
        apply_lost_shape(shape, lost)
    extra = apply_pm_shape(shape, cues, flat, has_theme=bool(themes), release=time.release is not None)
    notes.extend(shape.notes)
    found = dict(
        themes=themes,
        segments=matches.get("segments"),
        plans=matches.get("plans"),
        accounts=matches.get("accounts"),
        sources=matches.get("sources"),
        sentiments=matches.get("sentiments"),
        intents=matches.get("intents"),
        severities=matches.get("severities"),
    )
    found = {k: v for k, v in found.items() if v}
    found.update(extra)  # type: ignore[arg-type]
    if negations.exclude:
        found["exclude"] = Exclusions(**negations.exclude)  # type: ignore[assignment]
    if _MIXED.search(flat):
        found["mixed"] = True  # type: ignore[assignment]
    if renewing is not None:
        found["renewing_within_days"] = renewing  # type: ignore[assignment]
    if lost is not None:
        found["lost_pipeline_days"] = lost.days  # type: ignore[assignment]
        found["intents_or_lost_pipeline"] = lost.either and bool(found.get("intents"))  # type: ignore[assignment]
        notes.extend(lost.notes)
    if previous is not None and is_follow_up(flat, shape_cue=shape.cue, found=bool(found or time.window)):
        return follow_up(previous, flat, shape, found, time, base)
    if shape.kind is None:
        if not found and time.window is None and not time.whole:
            return QueryPlan(kind="help", notes=[HELP], **base)  # type: ignore[arg-type]
        shape.kind = "count"
        notes.append("no question word: counting the matching signals")
    if shape.kind != "comparison" and shape.metric != "growth":
        release_since(time)
    window, previous_window = _windows(shape.kind, shape.metric, time, bool(themes or found.get("accounts")), notes)
    k = shape.k or _default_k(shape.group_by, shape.metric, vocabulary)
    return QueryPlan(
        kind=shape.kind,  # type: ignore[arg-type]
        metric=shape.metric,  # type: ignore[arg-type]
        group_by=shape.group_by,  # type: ignore[arg-type]
        k=min(max(k, 1), 50),
        filters=Filters(window=window, **found),  # type: ignore[arg-type]
        previous_window=previous_window,
        weights=_weights(shape.metric, notes),
        bucket=shape.bucket,  # type: ignore[arg-type]
        quotes=shape.quotes if shape.quotes is not None else 3,
        notes=notes + time.notes,
        unsupported=cues.unsupported + negations.unsupported + [f"only {p}" for p in places],
        **base,  # type: ignore[arg-type]
    )


def _use_chars(text: Text, spans: list[tuple[int, int]]) -> None:
    """Mark the tokens under character spans of ``" ".join(text.raw)`` as explained."""
    starts, pos = [], 0
    for tok in text.raw:
        starts.append(pos)
        pos += len(tok) + 1
    for start, end in spans:
        inside = [i for i, s in enumerate(starts) if start <= s < end]
        if inside:
            text.use(Span(inside[0], inside[-1] + 1))


def _weights(metric: str, notes: list[str]) -> RankingWeights | None:
    if metric != "priority":
        return None
    w = RankingWeights()
    notes.append(
        f"priority = {w.volume} x volume + {w.arr} x ARR + {w.severity} x severity + {w.trend} x trend"
        f" + {w.lost} x lost pipeline"
    )
    return w


def _default_k(group_by: str, metric: str, vocabulary: Vocabulary) -> int:
    sizes = {"source": len(vocabulary.sources), "segment": len(vocabulary.segments), "plan": len(vocabulary.plans)}
    if sizes.get(group_by):
        return sizes[group_by]
    if group_by in _GROUP_SIZES:
        return _GROUP_SIZES[group_by]
    return 3 if metric == "growth" else 5


def _windows(
    kind: str, metric: str, time: TimeParse, specific: bool, notes: list[str]
) -> tuple[Window | None, Window | None]:
    """The plan's window and previous window, with the defaults written down."""
    as_of = time.as_of
    needs_previous = kind == "comparison" or metric == "growth"
    if time.window is not None:
        window = _window(*time.window)
    elif time.whole or (specific and not needs_previous and kind != "trend"):
        notes.append("no window given: all history")
        return None, None
    else:
        window = _window(as_of - timedelta(days=DEFAULT_WINDOW_DAYS), as_of, f"last {DEFAULT_WINDOW_DAYS} days")
        notes.append(f"no window given: last {DEFAULT_WINDOW_DAYS} days")
    previous = _window(*time.previous) if time.previous is not None else None
    if needs_previous and previous is None:
        length = window.end - window.start
        previous = _window(window.start - length, window.start, f"the {length.days} days before")
        notes.append("compared with the window of the same length just before")
    return window, previous if needs_previous or time.previous is not None else None
