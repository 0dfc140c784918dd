"""Turn a canonical conversation into feedback-unit drafts.

Each customer message is cut into one unit per signal (:func:`core.segment.segment_message`: sentences,
chatter dropped, grouped at topic shifts); unlabeled speakers are attributed by text cues first. A message
that is all chatter ("Got it, thanks.") yields no unit.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from groundswell.core.models import Author, ConversationDoc, Message, SpeakerRole, UnitDraft
from groundswell.core.segment import segment_message
from groundswell.core.speakers import Turn, attribute_speakers

__all__ = ["ATTRIBUTION_THRESHOLD", "CUSTOMER_ROLES", "clean_text", "split_units", "thread_of", "unit_id"]

CUSTOMER_ROLES = frozenset({SpeakerRole.CUSTOMER})
_WS = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES = re.compile(r"\n{3,}")
CONTEXT_CHARS = 280
MESSAGE_CONTEXT_CHARS = 1000  # the whole message, kept in context when it is split into several units
ATTRIBUTION_THRESHOLD = 0.7  # an unlabeled speaker's words become units only when this sure they are the customer's


def clean_text(text: str) -> str:
    """Collapse runs of spaces and blank lines; keep line structure."""
    lines = (_WS.sub(" ", line).strip() for line in text.replace("\u00a0", " ").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def unit_id(source: str, external_id: str, message_id: str, ordinal: int) -> str:
    """A stable id: the same message cut the same way always gets the same unit id."""
    key = f"{source}\x1f{external_id}\x1f{message_id}\x1f{ordinal}".encode()
    return hashlib.sha256(key).hexdigest()[:24]


def _previous_turn(messages: list[Message], index: int) -> str | None:
    for earlier in reversed(messages[:index]):
        if earlier.text.strip():
            return clean_text(earlier.text)[:CONTEXT_CHARS]
    return None


def thread_of(doc: ConversationDoc) -> str:
    """The conversation a document belongs to: a forum topic when the source says so, else the record."""
    topic = next((tag for tag in doc.tags if tag.startswith("topic:")), None)
    return f"{doc.source}:{topic or doc.external_id}"


def _speaker_key(author: Author) -> str | None:
    return author.external_id or author.email or author.name or author.handle or author.phone


def _attributed(doc: ConversationDoc) -> dict[int, dict[str, Any]]:
    """Messages of unlabeled speakers that text cues attribute to the customer: index -> attribution context."""
    if all(m.author.role != SpeakerRole.UNKNOWN for m in doc.messages):
        return {}
    turns = [
        Turn(_speaker_key(m.author), m.text, None if m.author.role == SpeakerRole.UNKNOWN else m.author.role)
        for m in doc.messages
    ]
    return {
        index: {"role": a.role.value, "confidence": a.confidence, "evidence": a.evidence}
        for index, (message, a) in enumerate(zip(doc.messages, attribute_speakers(turns), strict=True))
        if message.author.role == SpeakerRole.UNKNOWN
        and a.role in CUSTOMER_ROLES
        and a.confidence >= ATTRIBUTION_THRESHOLD
    }


def _context(doc: ConversationDoc, index: int, attributed: dict[int, dict[str, Any]]) -> dict[str, Any]:
    context: dict[str, Any] = {}
    if index in attributed:
        context["attribution"] = attributed[index]
    if doc.title:
        context["subject"] = doc.title
    previous = _previous_turn(doc.messages, index)
    if previous:
        context["previous_turn"] = previous
    attachments = doc.messages[index].attachments
    if attachments:  # links for citations; metadata only
        context["attachments"] = [a.model_dump(exclude_none=True) for a in attachments]
    return context


def split_units(doc: ConversationDoc) -> list[UnitDraft]:
    """Customer messages of ``doc`` as unit drafts, one per signal, with thread context and offsets.

    Messages whose author role is unknown are attributed by text cues (:mod:`core.speakers`); those taken for
    the customer's with confidence >= ``ATTRIBUTION_THRESHOLD`` become units with their ``attribution`` in context.
    ``ordinal`` is the signal's index within its message; ``char_start``/``char_end`` point into the message text.
    When a message holds several signals, each unit's context also carries the whole ``message`` (truncated).
    """
    drafts: list[UnitDraft] = []
    thread = thread_of(doc)
    attributed = _attributed(doc)
    for index, message in enumerate(doc.messages):
        if (message.author.role not in CUSTOMER_ROLES and index not in attributed) or not message.public:
            continue
        segments = [s for s in segment_message(message.text) if clean_text(s.text)]
        if not segments:
            continue
        context = _context(doc, index, attributed)
        if len(segments) > 1:
            context["message"] = clean_text(message.text)[:MESSAGE_CONTEXT_CHARS]
        for ordinal, segment in enumerate(segments):
            drafts.append(
                UnitDraft(
                    source=doc.source,
                    external_id=doc.external_id,
                    message_id=message.external_id,
                    ordinal=ordinal,
                    text=clean_text(segment.text),
                    speaker_role=SpeakerRole.CUSTOMER if index in attributed else message.author.role,
                    channel=doc.channel,
                    created_at=message.created_at,
                    author=message.author,
                    thread_ref=thread,
                    context=dict(context),
                    char_start=segment.start,
                    char_end=segment.end,
                    locale=doc.locale,
                    url=doc.url,
                    account_ref=doc.account_ref or message.author.organization,
                    rating=doc.rating,
                    score=doc.score,
                )
            )
    return drafts
