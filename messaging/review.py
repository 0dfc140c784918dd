"""Block Kit for reviewing a unit's labels: the App Home "Units to review" section and the review modal opened
from an answer's sources page. Pure: the bot gathers :class:`ReviewLine` and :class:`ReviewChoices`."""

from __future__ import annotations

import json

from groundswell.core.classify.signals import SENTIMENTS
from groundswell.core.labels import INTENTS
from groundswell.messaging.blockkit import (
    SELECT_OPTIONS,
    Block,
    actions,
    button,
    context,
    escape,
    header,
    link,
    option,
    plain,
    section,
    static_select,
    truncate,
)
from groundswell.messaging.ids import (
    ACTION_REVIEW_CONFIRM,
    ACTION_REVIEW_INTENT,
    ACTION_REVIEW_SENTIMENT,
    ACTION_REVIEW_SKIP,
    ACTION_REVIEW_THEME,
    REVIEW_BLOCK,
    VIEW_REVIEW,
    ReviewField,
)
from pydantic import BaseModel

__all__ = [
    "OTHER_VALUE",
    "ReviewChoices",
    "ReviewLine",
    "review_modal",
    "review_queue_blocks",
    "review_value",
]

OTHER_VALUE = "other"  # the theme option for "no theme fits"
TEXT_CHARS = 600
SENTIMENT_ICONS = {"positive": "🙂", "neutral": "😐", "negative": "🙁", "mixed": "🔀"}


class ReviewLine(BaseModel):
    unit_id: str
    text: str
    source: str
    url: str | None = None
    theme_key: str | None = None  # leaf; None: other
    sentiment: str | None = None
    intent: str | None = None
    confidence: dict[str, float] = {}


class ReviewChoices(BaseModel):
    """What a reviewer can pick: the current taxonomy version's leaf themes (key, display name)."""

    version: int
    themes: list[tuple[str, str]] = []


def review_value(version: int, unit_id: str) -> str:
    """A review button's value: which unit, as classified in which taxonomy version."""
    return f"{version}|{unit_id}"


def _theme_options(choices: ReviewChoices, current: str | None) -> list[dict]:
    themes = choices.themes[: SELECT_OPTIONS - 2]
    names = dict(choices.themes)
    if current in names and all(key != current for key, _ in themes):
        themes = [*themes, (current, names[current])]  # the unit's own theme is always offered
    return [option(key, name) for key, name in themes] + [option(OTHER_VALUE, "Other (no theme fits)")]


def _intent_options() -> list[dict]:
    return [option(i, i.replace("_", " ")) for i in INTENTS]


def _sentiment_options() -> list[dict]:
    return [option(s, f"{SENTIMENT_ICONS.get(s, '')} {s}".strip()) for s in SENTIMENTS]


def _label(name: str, value: str | None, line: ReviewLine) -> str:
    shown = escape(value or "other", formatting=True)
    score = line.confidence.get(name)
    return f"{name} *{shown}*" + (f" ({score:.2f})" if score is not None else "")


def _unit_blocks(line: ReviewLine) -> list[Block]:
    text = escape(truncate(" ".join(line.text.split()), TEXT_CHARS))
    labels = " · ".join(
        _label(name, value, line)
        for name, value in (("theme", line.theme_key), ("sentiment", line.sentiment), ("intent", line.intent))
    )
    where = f"{link(line.url, line.source)} · unit `{escape(line.unit_id)}`"
    return [section(f"> {text}"), context(labels, where)]


def _controls(line: ReviewLine, choices: ReviewChoices) -> Block:
    uid, value = line.unit_id, review_value(choices.version, line.unit_id)
    sentiments = [
        button(f"{SENTIMENT_ICONS.get(s, '')} {s}".strip(), f"{ACTION_REVIEW_SENTIMENT}:{s}:{uid}", value,
               style="primary" if s == line.sentiment else None)
        for s in SENTIMENTS
    ]  # fmt: skip
    current_theme = line.theme_key or OTHER_VALUE
    return actions(
        static_select(f"{ACTION_REVIEW_THEME}:{uid}", _theme_options(choices, line.theme_key), initial=current_theme,
                      placeholder="Theme"),
        static_select(f"{ACTION_REVIEW_INTENT}:{uid}", _intent_options(), initial=line.intent or "other",
                      placeholder="Intent"),
        *sentiments,
        button("Confirm", f"{ACTION_REVIEW_CONFIRM}:{uid}", value),
        button("Skip", f"{ACTION_REVIEW_SKIP}:{uid}", value),
        block_id=f"{REVIEW_BLOCK}:{uid}",
    )  # fmt: skip


def review_queue_blocks(lines: list[ReviewLine], choices: ReviewChoices | None, *, waiting: int) -> list[Block]:
    """The "Units to review" section: each unit with its labels, a theme and an intent select, one button per
    sentiment (records that sentiment with the selected theme and intent), Confirm (records the selection as
    shown) and Skip. ``waiting``: how many units in the reviewer's scope are flagged in all."""
    blocks: list[Block] = [header("Units to review")]
    if choices is None:
        return [*blocks, section("No taxonomy yet: import one with `groundswell taxonomy import`.")]
    if not lines:
        return [*blocks, section("Nothing waiting for review in your scope. :tada:")]
    blocks.append(
        context(
            f"{waiting:,} flagged in your scope, lowest confidence first · pick the right theme and intent, then "
            "click a sentiment or *Confirm*; every label trains the next classifier fit"
        )
    )
    for line in lines:
        blocks += _unit_blocks(line)
        blocks.append(_controls(line, choices))
    return blocks


def _input(field: str, label: str, element: dict) -> Block:
    return {"type": "input", "block_id": field, "label": plain(label), "element": element}


def review_modal(line: ReviewLine, choices: ReviewChoices) -> dict:
    """Review one unit's labels (from an answer's sources page): theme, sentiment and intent, preset to the
    current labels; submitting records them as the unit's review label."""
    theme = static_select(ReviewField.THEME, _theme_options(choices, line.theme_key),
                          initial=line.theme_key or OTHER_VALUE)  # fmt: skip
    sentiment = static_select(ReviewField.SENTIMENT, _sentiment_options(), initial=line.sentiment or "neutral")
    intent = static_select(ReviewField.INTENT, _intent_options(), initial=line.intent or "other")
    metadata = json.dumps({"unit_id": line.unit_id, "version": choices.version})
    return {
        "type": "modal",
        "callback_id": VIEW_REVIEW,
        "private_metadata": metadata,
        "title": plain("Review labels", 24),
        "submit": plain("Save labels", 24),
        "close": plain("Cancel", 24),
        "blocks": [
            *_unit_blocks(line),
            _input(ReviewField.THEME, "Theme", theme),
            _input(ReviewField.SENTIMENT, "Sentiment", sentiment),
            _input(ReviewField.INTENT, "Intent", intent),
        ],
    }
