"""Who may ask what: viewers from settings (a JSON map or a roles file), name -> role and scopes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from groundswell.core.errors import ConfigurationError
from groundswell.core.query import Viewer
from pydantic import ValidationError

__all__ = ["default_viewer", "load_viewers"]


def _read_file(path: Path) -> Mapping[str, Any]:
    try:
        text = path.read_text()
    except OSError as exc:
        raise ConfigurationError(f"cannot read the viewers file {path}: {exc}") from exc
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(data, Mapping):
        raise ConfigurationError(f"{path}: expected a mapping of viewer name -> role and scopes")
    return data.get("viewers", data) if isinstance(data.get("viewers"), Mapping) else data


def load_viewers(configured: Mapping[str, Mapping[str, Any]], path: Path | None = None) -> dict[str, Viewer]:
    """Viewers from a roles file (if any) then the settings map (which wins), validated.

    Each entry: ``{"role": "restricted", "sources": [...], "segments": [...], "accounts": [...],
    "can_reveal_pii": false}``; a missing scope means unrestricted.
    """
    entries: dict[str, Mapping[str, Any]] = dict(_read_file(path)) if path else {}
    entries.update(configured)
    viewers = {}
    for name, spec in entries.items():
        try:
            viewers[name] = Viewer.model_validate({**dict(spec or {}), "name": name})
        except ValidationError as exc:
            raise ConfigurationError(f"viewer {name!r}: {exc.errors()[0]['msg']}") from exc
    return viewers


def default_viewer(name: str) -> Viewer:
    """The command line's viewer when none is configured under that name: an admin who cannot reveal PII."""
    return Viewer(name=name, role="admin", can_reveal_pii=False)
