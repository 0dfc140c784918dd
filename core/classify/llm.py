"""Classify feedback units with a language model: the same output as the offline :class:`UnitClassifier`
(theme/sub-theme or other, sentiment, intent, severity, confidences), which stays the fallback.

Units go out in batches as a delimited JSON DATA block (never as instructions), instruction-like feedback alone;
answers are validated against a JSON schema whose enums are the allowed keys. Units whose answer is missing,
malformed or off the label sets, and every unit of a batch whose call failed, get the offline labels (counted).
Every model label is checked against the offline classifier (``core.classify.llm_check``): a label contradicting a
confident offline one is flagged ``needs_review``, and a batch where most units contradict it is asked again one
unit per request, so an instruction the screen missed cannot relabel the rest of its batch.
After ``max_failures`` failed calls in a row (or refused credentials) the model is not called again for the
rest of the classifier's life: a dead endpoint degrades the run to offline labels, it never stops it. Labels are
cached by content hash (model, prompt version, taxonomy version, text), so re-running costs no tokens; every
call and every cache hit is recorded in the usage log with its tokens and cost.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from typing import Any, Protocol

import numpy as np
from groundswell.core.budgets import SpendLimit
from groundswell.core.classify.llm_check import batch_is_suspect, disagrees
from groundswell.core.classify.llm_prompt import (
    FIELDS,
    PROMPT_VERSION,
    batch_schema,
    build_messages,
    cache_key,
    item_schema,
    looks_like_instructions,
    system_prompt,
)
from groundswell.core.classify.units import UnitClassification, theme_keys_of
from groundswell.core.errors import GroundswellError, LanguageModelCredentialsRefused
from groundswell.core.llm_usage import MeteredChat, Pricing, UsageLog
from groundswell.core.protocols import ChatModel
from groundswell.core.taxonomy import Taxonomy
from jsonschema import Draft202012Validator

__all__ = ["LabelCache", "LlmClassifyReport", "LlmUnitClassifier", "MemoryLabelCache", "UnitLabeller"]

TOKENS_PER_UNIT = 120  # completion budget per unit in a batch (a result is about 60 tokens)
MAX_ERRORS_KEPT = 20


class UnitLabeller(Protocol):
    """What the pipeline needs from a unit classifier (the offline one and this one)."""

    name: str
    version: str
    taxonomy: Taxonomy

    def classify(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> list[UnitClassification]: ...


class LabelCache(Protocol):
    def get_labels(self, keys: Collection[str]) -> dict[str, dict[str, Any]]: ...

    def put_labels(
        self, entries: Mapping[str, Mapping[str, Any]], *, model: str, prompt_version: str, taxonomy_version: int
    ) -> None: ...


class MemoryLabelCache:
    """A label cache in a dict (tests, benchmarks)."""

    def __init__(self) -> None:
        self.entries: dict[str, dict[str, Any]] = {}

    def get_labels(self, keys: Collection[str]) -> dict[str, dict[str, Any]]:
        return {key: self.entries[key] for key in keys if key in self.entries}

    def put_labels(
        self, entries: Mapping[str, Mapping[str, Any]], *, model: str, prompt_version: str, taxonomy_version: int
    ) -> None:
        self.entries.update({key: dict(value) for key, value in entries.items()})


@dataclass
class LlmClassifyReport:
    """What happened to the units this classifier saw (cumulative)."""

    units: int = 0
    llm_units: int = 0  # labelled by a model answer in this run
    cached_units: int = 0  # labelled from the cache (zero tokens)
    fallback_units: int = 0  # labelled offline
    invalid_units: int = 0  # of which: the model's answer for them was missing, malformed or off the label sets
    isolated_units: int = 0  # instruction-like units sent alone
    suspect_batches: int = 0  # batches whose answers mostly contradicted the offline labels: re-asked unit by unit
    disputed_units: int = 0  # model labels contradicting confident offline labels (flagged needs_review)
    failed_calls: int = 0
    gave_up: bool = False  # the endpoint failed too often: offline for the rest of the run
    error_messages: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class LlmUnitClassifier:
    """A :class:`UnitLabeller` backed by a :class:`ChatModel`, with ``fallback`` (offline) for what it cannot do.

    ``fallback`` may be a zero-argument callable that builds it: then it is fitted only when first needed."""

    def __init__(
        self,
        taxonomy: Taxonomy,
        chat: ChatModel,
        fallback: UnitLabeller | Callable[[], UnitLabeller],
        *,
        cache: LabelCache,
        usage: UsageLog,
        pricing: Pricing | None = None,
        spend_limit: SpendLimit | None = None,
        batch_size: int = 20,
        review_below: float = 0.5,
        max_failures: int = 2,
        validate: bool = True,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        self.taxonomy = taxonomy
        self._fallback = fallback
        self.cache = cache
        self.chat = MeteredChat(chat, purpose="classify", log=usage, pricing=pricing, limit=spend_limit)
        self.batch_size = batch_size
        self.review_below = review_below
        self.max_failures = max_failures
        self.validate = validate  # check model labels against the offline classifier (see core.classify.llm_check)
        self.name, self.version = f"llm:{chat.model_id}", PROMPT_VERSION
        self.report = LlmClassifyReport()
        self._system = system_prompt(taxonomy)
        self._check = Draft202012Validator(item_schema(taxonomy))
        self._failures_in_a_row = 0
        self._offline: dict[str, UnitClassification] = {}  # this call's offline labels by cache key

    # --- the pipeline's entry point --------------------------------------------------------------------------------

    def classify(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> list[UnitClassification]:
        report = self.report
        report.units += len(texts)
        where: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            where.setdefault(cache_key(self.chat.model_id, self.taxonomy.version, text), []).append(i)
        text_of = {key: texts[spots[0]] for key, spots in where.items()}
        self._offline = self._offline_labels(where, texts, vectors) if self.validate else {}
        labels = {k: v for k, v in self.cache.get_labels(list(where)).items() if self._valid({"id": "c", **v})}
        if hits := sum(len(where[key]) for key in labels):
            report.cached_units += hits
            self.chat.record_cached(items=hits)
        fresh = self._ask_model([key for key in where if key not in labels], text_of)
        if fresh:
            self.cache.put_labels(
                fresh, model=self.chat.model_id, prompt_version=PROMPT_VERSION, taxonomy_version=self.taxonomy.version
            )
            report.llm_units += sum(len(where[key]) for key in fresh)
        labels |= fresh
        results: list[UnitClassification | None] = [None] * len(texts)
        for key, value in labels.items():
            result = self._result(value)
            if key in self._offline and disagrees(value, self._offline[key]):
                result = replace(result, needs_review=True)
                report.disputed_units += len(where[key])
            for i in where[key]:
                results[i] = result
        self._fill_offline(results, texts, vectors)
        self._offline = {}
        return [r for r in results if r is not None]

    def begin_run(self) -> None:
        """Start a new report (and give the endpoint a new chance) for the next pipeline run."""
        self.report = LlmClassifyReport()
        self.chat.reset_totals()
        self._failures_in_a_row = 0

    @cached_property
    def fallback(self) -> UnitLabeller:
        fallback = self._fallback
        return fallback if hasattr(fallback, "classify") else fallback()  # type: ignore[operator,return-value]

    @property
    def usage(self) -> dict[str, Any]:
        """The report plus calls, tokens and cost so far."""
        return {**self.report.as_dict(), **self.chat.totals.as_dict()}

    # --- asking the model ------------------------------------------------------------------------------------------

    def _ask_model(self, keys: list[str], text_of: Mapping[str, str]) -> dict[str, dict[str, Any]]:
        alone = [key for key in keys if looks_like_instructions(text_of[key])]
        rest = [key for key in keys if key not in set(alone)]
        self.report.isolated_units += len(alone)
        batches = [[key] for key in alone] + [
            rest[i : i + self.batch_size] for i in range(0, len(rest), self.batch_size)
        ]
        got: dict[str, dict[str, Any]] = {}
        for batch in batches:
            if self.report.gave_up:
                break
            answers = self._ask_batch(batch, text_of)
            if self._suspect(answers):
                self.report.suspect_batches += 1
                answers = {}
                for key in batch:  # one unit per request: no unit's text can reach another's labels
                    if not self.report.gave_up:
                        answers |= self._ask_batch([key], text_of)
            got |= answers
        return got

    def _suspect(self, answers: Mapping[str, Mapping[str, Any]]) -> bool:
        keys = [key for key in answers if key in self._offline]
        return batch_is_suspect([answers[k] for k in keys], [self._offline[k] for k in keys])

    def _ask_batch(self, keys: list[str], text_of: Mapping[str, str]) -> dict[str, dict[str, Any]]:
        ids = [f"u{n}" for n in range(1, len(keys) + 1)]
        key_of = dict(zip(ids, keys, strict=True))
        try:
            reply = self.chat.chat(
                build_messages(self._system, [(i, text_of[key_of[i]]) for i in ids]),
                json_schema=batch_schema(self.taxonomy, ids),
                schema_name="unit_labels",
                temperature=0.0,
                max_tokens=TOKENS_PER_UNIT * len(ids) + 100,
                items=len(ids),
            )
        except GroundswellError as exc:
            self._failed(exc)
            return {}
        self._failures_in_a_row = 0
        items = reply.parsed.get("results") if isinstance(reply.parsed, dict) else None
        answers: dict[str, list[dict[str, Any]]] = {}
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and item.get("id") in key_of and self._valid(item):
                answers.setdefault(item["id"], []).append(item)
        # an id answered twice with different labels is as good as unanswered
        good = {i: found[0] for i, found in answers.items() if all(_labels(f) == _labels(found[0]) for f in found)}
        self.report.invalid_units += len(ids) - len(good)
        return {key_of[i]: _labels(item) for i, item in good.items()}

    def _failed(self, error: GroundswellError) -> None:
        self.report.failed_calls += 1
        self._failures_in_a_row += 1
        if len(self.report.error_messages) < MAX_ERRORS_KEPT:
            self.report.error_messages.append(str(error))
        if isinstance(error, LanguageModelCredentialsRefused) or self._failures_in_a_row >= self.max_failures:
            self.report.gave_up = True

    def _valid(self, item: Mapping[str, Any]) -> bool:
        return bool(self._check.is_valid(item))

    # --- results ---------------------------------------------------------------------------------------------------

    def _result(self, labels: Mapping[str, Any]) -> UnitClassification:
        theme_key, subtheme_key = theme_keys_of(self.taxonomy, labels["theme"])
        confidence = {name: round(_clamp(labels["confidence"][name], 0.0, 1.0), 4) for name in FIELDS}
        return UnitClassification(
            theme_key=theme_key,
            subtheme_key=subtheme_key,
            sentiment=labels["sentiment"],
            sentiment_score=round(_clamp(labels["sentiment_score"], -1.0, 1.0), 4),
            intent=labels["intent"],
            severity=labels["severity"],
            confidence=confidence,
            needs_review=confidence["theme"] < self.review_below,
            classifier=self.name,
            classifier_version=self.version,
        )

    def _offline_labels(
        self, where: Mapping[str, list[int]], texts: Sequence[str], vectors: np.ndarray | None
    ) -> dict[str, UnitClassification]:
        if not where:
            return {}
        first = [spots[0] for spots in where.values()]
        subset = np.asarray(vectors)[first] if vectors is not None else None
        return dict(zip(where, self.fallback.classify([texts[i] for i in first], subset), strict=True))

    def _fill_offline(
        self, results: list[UnitClassification | None], texts: Sequence[str], vectors: np.ndarray | None
    ) -> None:
        missing = [i for i, result in enumerate(results) if result is None]
        if not missing:
            return
        self.report.fallback_units += len(missing)
        if self._offline:
            keys = [cache_key(self.chat.model_id, self.taxonomy.version, texts[i]) for i in missing]
            offline = [self._offline[key] for key in keys]
        else:
            subset = np.asarray(vectors)[missing] if vectors is not None else None
            offline = self.fallback.classify([texts[i] for i in missing], subset)
        for i, result in zip(missing, offline, strict=True):
            results[i] = replace(result, classifier=self.fallback.name, classifier_version=self.fallback.version)


def _labels(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key != "id"}


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, float(value)))
