"""Speaker attribution from text cues: who said it, when the source does not tell.

Each turn gets a log-odds score of "customer" from a small logistic regression (word and character n-grams,
trained deterministically at first use on the hand-written lines in :mod:`core.speakers_data`) plus the
hand-written cues of :mod:`core.speakers_cues`. Turns of the same speaker pool their scores and evidence, and
conversation-level constraints nudge unknown speakers away from the side a known speaker already holds. Turn
order is never used. Roles given by source metadata are kept with confidence 1.0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from groundswell.core.models import SpeakerRole
from groundswell.core.speakers_cues import bot_hits, cue_hits
from groundswell.core.speakers_data import AGENT_LINES, BOT_LINES, CUSTOMER_LINES

__all__ = ["AGENT_SIDE", "Attribution", "Turn", "attribute_speakers", "turn_logit"]

AGENT_SIDE = frozenset({SpeakerRole.AGENT, SpeakerRole.REP, SpeakerRole.BOT, SpeakerRole.INTERNAL, SpeakerRole.SYSTEM})
MODEL_WEIGHT = 1.0  # the model's log-odds count as much as one strong cue
TURN_CLIP = 6.0  # one turn never says more than this (log-odds)
BOT_THRESHOLD = 2.0  # pooled bot-cue strength that makes a speaker a bot
CONTEXT_PRIOR = 1.0  # log-odds nudge from a known party on the other side
CONTRAST = 0.5  # share of the common lean removed when two unknown speakers share a conversation


@dataclass(frozen=True)
class Turn:
    """One turn to attribute: who (a key shared by all turns of one speaker, or None), what, and a known role."""

    speaker_key: str | None
    text: str
    known_role: SpeakerRole | None = None


@dataclass(frozen=True)
class Attribution:
    """The role given to a turn, how sure (0.5-1.0), and why."""

    role: SpeakerRole
    confidence: float
    evidence: list[str] = field(default_factory=list)


@dataclass
class _Group:
    indices: list[int] = field(default_factory=list)
    logit: float = 0.0
    bot: float = 0.0
    evidence: list[str] = field(default_factory=list)
    known: SpeakerRole | None = None


@cache
def _model() -> Any:
    """The n-gram logistic regression, fitted once per process (deterministic: fixed data, lbfgs, no shuffling)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    texts = [*CUSTOMER_LINES, *AGENT_LINES, *BOT_LINES]
    labels = [1] * len(CUSTOMER_LINES) + [0] * (len(AGENT_LINES) + len(BOT_LINES))
    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b|[?!]"),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True),
    )
    model = make_pipeline(features, LogisticRegression(C=4.0, max_iter=1000))
    model.fit(texts, labels)
    return model


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _model_logits(texts: Sequence[str]) -> list[float]:
    if not texts:
        return []
    return [float(x) for x in _model().decision_function(list(texts))]


def turn_logit(text: str, model_logit: float | None = None) -> tuple[float, list[str]]:
    """Log-odds that ``text`` is customer speech, with the evidence behind it (model + cues)."""
    base = _model_logits([text])[0] if model_logit is None else model_logit
    evidence = [f"model p(customer)={_sigmoid(base):.2f}"]
    score = MODEL_WEIGHT * base
    for hit in cue_hits(text):
        score += hit.weight
        evidence.append(f"{'customer' if hit.weight > 0 else 'agent'} cue: {hit.label}")
    return max(-TURN_CLIP, min(TURN_CLIP, score)), evidence


def _groups(turns: Sequence[Turn]) -> list[_Group]:
    by_key: dict[str, _Group] = {}
    groups: list[_Group] = []
    for index, turn in enumerate(turns):
        if turn.speaker_key is None:
            group = _Group()
            groups.append(group)
        else:
            if turn.speaker_key not in by_key:
                by_key[turn.speaker_key] = _Group()
                groups.append(by_key[turn.speaker_key])
            group = by_key[turn.speaker_key]
        group.indices.append(index)
        if turn.known_role is not None and turn.known_role != SpeakerRole.UNKNOWN:
            group.known = group.known or turn.known_role
    return groups


def _score(groups: list[_Group], turns: Sequence[Turn]) -> None:
    pending = [i for g in groups if g.known is None for i in g.indices if turns[i].text.strip()]
    logits = dict(zip(pending, _model_logits([turns[i].text for i in pending]), strict=True))
    for group in groups:
        if group.known is not None:
            continue
        scored = [i for i in group.indices if i in logits]
        total = 0.0
        for i in scored:
            logit, evidence = turn_logit(turns[i].text, logits[i])
            total += logit
            group.evidence.extend(evidence)
            for hit in bot_hits(turns[i].text):
                group.bot += hit.weight
                group.evidence.append(f"bot cue: {hit.label}")
        if scored:  # mean x sqrt(n): more turns, more certainty, without trusting each as independent
            group.logit = total / math.sqrt(len(scored))
        if len(scored) > 1:
            group.evidence.append(f"pooled {len(scored)} turns of the same speaker")


def _constrain(groups: list[_Group], turns: Sequence[Turn]) -> None:
    unknown = [g for g in groups if g.known is None]
    known_agent = any(g.known in AGENT_SIDE for g in groups)
    known_customer = any(g.known == SpeakerRole.CUSTOMER for g in groups)
    if known_agent != known_customer:
        nudge, why = (CONTEXT_PRIOR, "agent") if known_agent else (-CONTEXT_PRIOR, "customer")
        for group in unknown:
            group.logit += nudge
            group.evidence.append(f"context: another speaker is a known {why}")
        return
    keyed = [g for g in unknown if turns[g.indices[0]].speaker_key is not None]
    if not known_agent and len(keyed) == 2:
        lean = (keyed[0].logit + keyed[1].logit) / 2
        for group in keyed:
            group.logit -= CONTRAST * lean
            group.evidence.append("context: two unknown speakers, contrasted with each other")


def _attribution(group: _Group) -> Attribution:
    if group.known is not None:
        return Attribution(group.known, 1.0, ["known role from source metadata"])
    if group.bot >= BOT_THRESHOLD:
        return Attribution(SpeakerRole.BOT, round(_sigmoid(group.bot), 4), list(group.evidence))
    role = SpeakerRole.CUSTOMER if group.logit > 0 else SpeakerRole.AGENT
    return Attribution(role, round(_sigmoid(abs(group.logit)), 4), list(group.evidence))


def attribute_speakers(turns: Sequence[Turn]) -> list[Attribution]:
    """One attribution per turn (same order); turns sharing a ``speaker_key`` share their role."""
    groups = _groups(turns)
    _score(groups, turns)
    _constrain(groups, turns)
    out: list[Attribution | None] = [None] * len(turns)
    for group in groups:
        attribution = _attribution(group)
        for index in group.indices:
            out[index] = attribution
    return [a for a in out if a is not None]
