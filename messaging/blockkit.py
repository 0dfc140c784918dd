"""Small Block Kit element builders and the validator every message and view passes in tests.

Limits are Slack's documented ones (api.slack.com/reference/block-kit); a message carries at most 50 blocks,
a modal or App Home view at most 100.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "MAX_MESSAGE_BLOCKS",
    "MAX_VIEW_BLOCKS",
    "BlockKitError",
    "actions",
    "assert_valid_blocks",
    "assert_valid_view",
    "button",
    "context",
    "divider",
    "escape",
    "header",
    "http_url",
    "link",
    "mrkdwn",
    "option",
    "overflow",
    "plain",
    "safe_url",
    "section",
    "static_select",
    "truncate",
    "validate_blocks",
    "validate_view",
]

Block = dict[str, Any]
MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
SECTION_TEXT = 3000
HEADER_TEXT = 150
BUTTON_TEXT = 75
ACTION_ID = 255
BLOCK_ID = 255
BUTTON_VALUE = 2000
URL = 3000
CONTEXT_ELEMENTS = 10
ACTIONS_ELEMENTS = 25
FIELDS = 10
FIELD_TEXT = 2000
OPTION_TEXT = 75
OPTION_VALUE = 150
VIEW_TITLE = 24
PRIVATE_METADATA = 3000
INPUT_LABEL = 2000
PLACEHOLDER = 150
SELECT_OPTIONS = 100
OVERFLOW_OPTIONS = 5
KNOWN_ELEMENTS = {"plain_text_input", "users_select", "multi_users_select", "conversations_select", "channels_select"}
BLOCK_TYPES = {"section", "header", "context", "divider", "actions", "input", "image"}


class BlockKitError(ValueError):
    """A message or view Slack would refuse."""


def truncate(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


ZWSP = "\u200b"
FORMATTING = "*_~`"
URL_UNSAFE = {"|": "%7C", "<": "%3C", ">": "%3E", '"': "%22", " ": "%20"}


def escape(text: str, *, formatting: bool = False) -> str:
    """The one escaping helper for data that reaches Slack as mrkdwn.

    ``&``, ``<`` and ``>`` become entities, so no data can open a link, a mention (``<!channel>``) or a
    user/channel reference. With ``formatting`` (names, labels), ``* _ ~ ` `` are also fenced with zero-width
    spaces so ``*bold*`` in an account name stays literal.
    """
    text = str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if formatting:
        text = "".join(f"{ZWSP}{c}{ZWSP}" if c in FORMATTING else c for c in text)
    return text


def http_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) url without control characters, else None."""
    if not url:
        return None
    url = str(url).strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or len(url) > URL:
        return None
    return url


def safe_url(url: str | None) -> str | None:
    """``url`` made safe inside ``<url|label>`` (``| < > " space`` percent-encoded, ``&`` escaped), or None."""
    checked = http_url(url)
    if checked is None:
        return None
    return "".join(URL_UNSAFE.get(c, c) for c in checked).replace("&", "&amp;")


def link(url: str | None, label: str) -> str:
    """``label`` (raw data, escaped here) linked to ``url`` when the url is safe; else the escaped label alone."""
    text = escape(label, formatting=True)
    safe = safe_url(url)
    return f"<{safe}|{text}>" if safe else text


def plain(text: str, limit: int = SECTION_TEXT) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit) or " ", "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": truncate(text, limit) or " "}


def section(text: str, *, accessory: dict[str, Any] | None = None, block_id: str | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if accessory:
        block["accessory"] = accessory
    if block_id:
        block["block_id"] = block_id
    return block


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_TEXT)}


def context(*texts: str) -> Block:
    return {"type": "context", "elements": [mrkdwn(t) for t in texts[:CONTEXT_ELEMENTS] if t]}


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str, action_id: str, value: str = "", *, style: str | None = None, url: str | None = None
) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "button", "text": plain(text, BUTTON_TEXT), "action_id": action_id}
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    checked = http_url(url)
    if checked:
        element["url"] = checked
    return element


def option(value: str, label: str) -> dict[str, Any]:
    """A select / overflow option; ``label`` is plain text (never mrkdwn), so it needs no escaping."""
    return {"text": plain(label, OPTION_TEXT), "value": value[:OPTION_VALUE]}


def static_select(
    action_id: str, options: list[dict[str, Any]], *, initial: str | None = None, placeholder: str = "Choose…"
) -> dict[str, Any]:
    """A static select of at most 100 ``options``; ``initial`` preselects the option with that value."""
    options = options[:SELECT_OPTIONS]
    element: dict[str, Any] = {"type": "static_select", "action_id": action_id, "options": options,
                               "placeholder": plain(placeholder, PLACEHOLDER)}  # fmt: skip
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen is not None:
        element["initial_option"] = chosen
    return element


def overflow(action_id: str, options: list[dict[str, Any]]) -> dict[str, Any]:
    """An overflow ("⋯") menu of 1..5 ``options``."""
    return {"type": "overflow", "action_id": action_id, "options": options[:OVERFLOW_OPTIONS]}


def actions(*elements: dict[str, Any], block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


# --- validation ---------------------------------------------------------------------------------------------


def _text_errors(obj: Any, where: str, limit: int, *, kinds: Iterable[str] = ("plain_text", "mrkdwn")) -> Iterator[str]:
    if not isinstance(obj, dict) or obj.get("type") not in set(kinds):
        yield f"{where}: expected a text object of type {'/'.join(kinds)}"
        return
    text = obj.get("text")
    if not isinstance(text, str) or not text:
        yield f"{where}: empty text"
    elif len(text) > limit:
        yield f"{where}: {len(text)} characters, limit {limit}"


def _option_errors(option: Any, where: str) -> Iterator[str]:
    yield from _text_errors(option.get("text"), f"{where}.text", OPTION_TEXT, kinds=("plain_text",))
    value = option.get("value")
    if not isinstance(value, str) or not value or len(value) > OPTION_VALUE:
        yield f"{where}.value: 1..{OPTION_VALUE} characters"


def _element_errors(element: Any, where: str, action_ids: list[str]) -> Iterator[str]:
    if not isinstance(element, dict) or "type" not in element:
        yield f"{where}: not an element"
        return
    kind = element["type"]
    if kind in {"image"}:
        return
    action_id = element.get("action_id")
    if action_id is not None:
        if not isinstance(action_id, str) or not action_id or len(action_id) > ACTION_ID:
            yield f"{where}.action_id: 1..{ACTION_ID} characters"
        action_ids.append(str(action_id))
    if kind == "button":
        yield from _text_errors(element.get("text"), f"{where}.text", BUTTON_TEXT, kinds=("plain_text",))
        if len(str(element.get("value", ""))) > BUTTON_VALUE:
            yield f"{where}.value: over {BUTTON_VALUE} characters"
        if len(str(element.get("url", ""))) > URL:
            yield f"{where}.url: over {URL} characters"
        if element.get("style") not in (None, "primary", "danger"):
            yield f"{where}.style: {element.get('style')!r}"
    elif kind in {"static_select", "multi_static_select", "checkboxes"}:
        options = element.get("options") or []
        most = 10 if kind == "checkboxes" else 100
        if not 1 <= len(options) <= most:
            yield f"{where}.options: 1..{most} options"
        for i, option in enumerate(options):
            yield from _option_errors(option, f"{where}.options[{i}]")
        if "initial_option" in element and element["initial_option"] not in options:
            yield f"{where}.initial_option: not one of the options"
        if any(o not in options for o in element.get("initial_options", [])):
            yield f"{where}.initial_options: not all among the options"
        if "placeholder" in element:
            yield from _text_errors(element["placeholder"], f"{where}.placeholder", PLACEHOLDER, kinds=("plain_text",))
    elif kind == "overflow":
        options = element.get("options") or []
        if not 1 <= len(options) <= OVERFLOW_OPTIONS:
            yield f"{where}.options: 1..{OVERFLOW_OPTIONS} options"
        for i, option in enumerate(options):
            yield from _option_errors(option, f"{where}.options[{i}]")
    elif kind == "plain_text_input" and "placeholder" in element:
        yield from _text_errors(element["placeholder"], f"{where}.placeholder", PLACEHOLDER, kinds=("plain_text",))
    elif kind not in KNOWN_ELEMENTS:
        yield f"{where}: unknown element type {kind!r}"


def _block_errors(block: Any, where: str, action_ids: list[str]) -> Iterator[str]:
    if not isinstance(block, dict) or block.get("type") not in BLOCK_TYPES:
        yield f"{where}: unknown block type {block.get('type') if isinstance(block, dict) else block!r}"
        return
    kind = block["type"]
    if len(str(block.get("block_id", ""))) > BLOCK_ID:
        yield f"{where}.block_id: over {BLOCK_ID} characters"
    if kind == "section":
        if "text" not in block and "fields" not in block:
            yield f"{where}: a section needs text or fields"
        if "text" in block:
            yield from _text_errors(block["text"], f"{where}.text", SECTION_TEXT)
        fields = block.get("fields", [])
        if len(fields) > FIELDS:
            yield f"{where}.fields: {len(fields)} fields, limit {FIELDS}"
        for i, field in enumerate(fields):
            yield from _text_errors(field, f"{where}.fields[{i}]", FIELD_TEXT)
        if "accessory" in block:
            yield from _element_errors(block["accessory"], f"{where}.accessory", action_ids)
    elif kind == "header":
        yield from _text_errors(block.get("text"), f"{where}.text", HEADER_TEXT, kinds=("plain_text",))
    elif kind == "context":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= CONTEXT_ELEMENTS:
            yield f"{where}.elements: 1..{CONTEXT_ELEMENTS} elements"
        for i, element in enumerate(elements):
            if element.get("type") != "image":
                yield from _text_errors(element, f"{where}.elements[{i}]", SECTION_TEXT)
    elif kind == "actions":
        elements = block.get("elements") or []
        if not 1 <= len(elements) <= ACTIONS_ELEMENTS:
            yield f"{where}.elements: 1..{ACTIONS_ELEMENTS} elements"
        for i, element in enumerate(elements):
            yield from _element_errors(element, f"{where}.elements[{i}]", action_ids)
    elif kind == "input":
        yield from _text_errors(block.get("label"), f"{where}.label", INPUT_LABEL, kinds=("plain_text",))
        yield from _element_errors(block.get("element"), f"{where}.element", action_ids)


def validate_blocks(blocks: Any, *, limit: int = MAX_MESSAGE_BLOCKS) -> list[str]:
    """Every problem Slack would refuse ``blocks`` for (empty list: valid)."""
    if not isinstance(blocks, list):
        return ["blocks: not a list"]
    problems: list[str] = []
    if len(blocks) > limit:
        problems.append(f"blocks: {len(blocks)} blocks, limit {limit}")
    action_ids: list[str] = []
    for i, block in enumerate(blocks):
        problems.extend(_block_errors(block, f"blocks[{i}]", action_ids))
    block_ids = [b["block_id"] for b in blocks if isinstance(b, dict) and "block_id" in b]
    for ids, what in ((action_ids, "action_id"), (block_ids, "block_id")):
        duplicates = sorted({x for x in ids if ids.count(x) > 1})
        if duplicates:
            problems.append(f"duplicate {what}s: {', '.join(duplicates)}")
    return problems


def validate_view(view: Any) -> list[str]:
    """Every problem of a modal or App Home view."""
    if not isinstance(view, dict) or view.get("type") not in {"modal", "home"}:
        return ["view: type must be modal or home"]
    problems = validate_blocks(view.get("blocks"), limit=MAX_VIEW_BLOCKS)
    if len(view.get("private_metadata", "")) > PRIVATE_METADATA:
        problems.append(f"view.private_metadata: over {PRIVATE_METADATA} characters")
    if view["type"] == "modal":
        problems.extend(_text_errors(view.get("title"), "view.title", VIEW_TITLE, kinds=("plain_text",)))
        for key in ("submit", "close"):
            if key in view:
                problems.extend(_text_errors(view[key], f"view.{key}", VIEW_TITLE, kinds=("plain_text",)))
        if any(b.get("type") == "input" for b in view.get("blocks", [])) and "submit" not in view:
            problems.append("view.submit: a modal with inputs needs a submit button")
    return problems


def assert_valid_blocks(blocks: Any, *, limit: int = MAX_MESSAGE_BLOCKS) -> None:
    problems = validate_blocks(blocks, limit=limit)
    if problems:
        raise BlockKitError("; ".join(problems))


def assert_valid_view(view: Any) -> None:
    problems = validate_view(view)
    if problems:
        raise BlockKitError("; ".join(problems))
