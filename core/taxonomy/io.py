"""YAML/JSON import and export. Errors name the file and the line of the entry at fault.

The file is a mapping with a ``themes`` list (or just the list); each entry has ``key`` (or ``id``), ``name``
and optionally ``parent_key`` (or ``parent``), ``description``, ``aliases``, ``examples``, ``owner_team`` (or
``owner``) and ``status``. The demo corpus's ``_truth/seed_taxonomy.json`` uses the ``id``/``parent``/``owner``
spellings and loads as is. JSON is read through the same YAML composer, so its lines are reported too; a
``.json`` file is first checked by the strict JSON parser (YAML would accept trailing commas and the like).
A field given twice in one entry is an error, not a silent "last one wins".
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from groundswell.core.taxonomy.model import Taxonomy, TaxonomyError, ThemeDef, find_issues

__all__ = ["FORMATS", "dump_taxonomy", "load_taxonomy", "parse_taxonomy"]

FORMATS = ("yaml", "json")
_SYNONYMS = {"id": "key", "parent": "parent_key", "owner": "owner_team"}
_FIELDS = ("key", "name", "parent_key", "description", "aliases", "examples", "owner_team", "status")


def load_taxonomy(path: Path | str) -> Taxonomy:
    """Read and validate a taxonomy file; raises :class:`TaxonomyError` naming the file and line."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"{path}: cannot read ({exc})") from exc
    return parse_taxonomy(text, source=str(path))


def _strict_json(text: str, source: str) -> None:
    def no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        keys = [k for k, _ in pairs]
        repeated = sorted({k for k in keys if keys.count(k) > 1})
        if repeated:
            raise ValueError(f"field {repeated[0]!r} given twice in one object")
        return dict(pairs)

    try:
        json.loads(text, object_pairs_hook=no_repeats)
    except json.JSONDecodeError as exc:
        raise TaxonomyError(f"{source}: line {exc.lineno} column {exc.colno}: not valid JSON: {exc.msg}") from exc
    except ValueError:
        pass  # repeated fields: the YAML pass below names their line


def _repeated_field(node: yaml.Node | None) -> yaml.Node | None:
    """The first key node that repeats an earlier key of the same mapping, anywhere in the document."""
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop(0)
        if isinstance(current, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        return key
                    seen.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return None


def _compose(text: str, source: str) -> tuple[Any, yaml.Node | None]:
    if source.lower().endswith(".json"):
        _strict_json(text, source)
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        repeated = _repeated_field(node)
        if repeated is not None:
            line = repeated.start_mark.line + 1
            raise TaxonomyError(f"{source}: line {line}: field {repeated.value!r} is given twice in one entry")
        return (loader.construct_document(node) if node is not None else None), node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" line {mark.line + 1}" if mark else ""
        raise TaxonomyError(f"{source}:{where}: not valid YAML/JSON: {exc.problem or exc}") from exc
    except yaml.YAMLError as exc:
        raise TaxonomyError(f"{source}: not valid YAML/JSON: {exc}") from exc
    finally:
        loader.dispose()


def _theme_nodes(node: yaml.Node | None) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "themes":
                node = value
                break
    return list(node.value) if isinstance(node, yaml.SequenceNode) else []


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError(f"{what} must be a list of strings")
    return tuple(str(v) for v in value)


def _theme(entry: Any) -> ThemeDef:
    if not isinstance(entry, Mapping):
        raise ValueError("a theme entry must be a mapping with at least key and name")
    data = {_SYNONYMS.get(str(k), str(k)): v for k, v in entry.items()}
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)}")
    for required in ("key", "name"):
        if not isinstance(data.get(required), str | int) or not str(data[required]).strip():
            raise ValueError(f"missing {required!r}")
    parent = data.get("parent_key")
    owner = data.get("owner_team")
    return ThemeDef(
        key=str(data["key"]).strip(),
        name=str(data["name"]).strip(),
        parent_key=str(parent).strip() if parent not in (None, "") else None,
        description=str(data.get("description") or ""),
        aliases=_strings(data.get("aliases"), "aliases"),
        examples=_strings(data.get("examples"), "examples"),
        owner_team=str(owner) if owner not in (None, "") else None,
        status=str(data.get("status") or "active"),
    )


def parse_taxonomy(text: str, *, source: str = "<taxonomy>") -> Taxonomy:
    """Parse YAML or JSON text; ``source`` names the file in error messages."""
    data, node = _compose(text, source)
    entries = data.get("themes") if isinstance(data, Mapping) else data
    if not isinstance(entries, list):
        raise TaxonomyError(f"{source}: expected a 'themes' list (or a list of theme entries)")
    lines = [n.start_mark.line + 1 for n in _theme_nodes(node)]

    def where(index: int | None) -> str:
        if index is None:
            return source
        line = f" line {lines[index]}" if index < len(lines) else ""
        return f"{source}:{line} (theme entry {index + 1})"

    themes: list[ThemeDef] = []
    for i, entry in enumerate(entries):
        try:
            themes.append(_theme(entry))
        except ValueError as exc:
            raise TaxonomyError(f"{where(i)}: {exc}") from exc
    issues = find_issues(themes)
    if issues:
        first = issues[0]
        more = f" (and {len(issues) - 1} more problem(s))" if len(issues) > 1 else ""
        raise TaxonomyError(f"{where(first.index)}: {first.message}{more}")
    version = data.get("version", 1) if isinstance(data, Mapping) else 1
    return Taxonomy(int(version) if isinstance(version, int) else 1, tuple(themes))


def dump_taxonomy(taxonomy: Taxonomy, fmt: str = "yaml") -> str:
    """The taxonomy as YAML or JSON text that :func:`parse_taxonomy` reads back to an equal taxonomy."""
    payload = {"version": taxonomy.version, "themes": [t.as_dict() for t in taxonomy.themes]}
    if fmt == "json":
        return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(payload, sort_keys=False, allow_unicode=True, width=120)
    raise TaxonomyError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
