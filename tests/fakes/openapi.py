"""Check requests against an OpenAPI 3 document: path and method exist, required parameters present, enum
and integer parameters valid, JSON bodies valid against the request schema. Returns the problems found."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4


@functools.cache
def load_spec(path: str) -> dict[str, Any]:
    return yaml.safe_load(Path(path).read_text())


class OpenApiChecker:
    def __init__(self, spec_path: str) -> None:
        self.spec = load_spec(spec_path)
        self.registry = Registry().with_resource("urn:spec", Resource.from_contents(self.spec, DRAFT4))
        self.templates = [
            (re.compile("^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"), template)
            for template in self.spec["paths"]
        ]

    def _resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            node = target
        return node

    def check(
        self, method: str, path: str, query: Mapping[str, str], headers: Mapping[str, str], body: bytes
    ) -> list[str]:
        matches = [t for rx, t in self.templates if rx.match(path)]
        exact = [t for t in matches if "{" not in t]
        template = (exact or matches or [None])[0]
        if template is None:
            return [f"{method} {path}: no such path in the spec"]
        operation = self.spec["paths"][template].get(method.lower())
        if operation is None:
            return [f"{method} {path}: the spec has no {method} on {template}"]
        problems = []
        lower_headers = {k.lower(): v for k, v in headers.items()}
        for param in (self._resolve(p) for p in operation.get("parameters", [])):
            where = {"query": query, "header": lower_headers}.get(param["in"])
            if where is None:
                continue
            name = param["name"].lower() if param["in"] == "header" else param["name"]
            if name not in where:
                if param.get("required"):
                    problems.append(f"{method} {template}: missing required {param['in']} parameter {param['name']}")
                continue
            schema = self._resolve(param.get("schema", {}))
            if "enum" in schema and where[name] not in [str(v) for v in schema["enum"]]:
                problems.append(f"{method} {template}: {param['name']}={where[name]!r} not in {schema['enum']}")
            if schema.get("type") == "integer" and not str(where[name]).lstrip("-").isdigit():
                problems.append(f"{method} {template}: {param['name']}={where[name]!r} is not an integer")
        known = {self._resolve(p)["name"] for p in operation.get("parameters", []) if self._resolve(p)["in"] == "query"}
        problems += [f"{method} {template}: unknown query parameter {q}" for q in query if q not in known]
        request_body = self._resolve(operation.get("requestBody"))
        if request_body:
            schema = request_body["content"].get("application/json", {}).get("schema")
            try:
                data = json.loads(body or b"null")
            except json.JSONDecodeError:
                return [*problems, f"{method} {template}: body is not JSON"]
            if data is None and request_body.get("required"):
                problems.append(f"{method} {template}: missing required body")
            elif data is not None and schema:
                wrapper = {"$ref": "urn:spec#" + schema["$ref"].lstrip("#")} if "$ref" in schema else schema
                validator = jsonschema.Draft4Validator(wrapper, registry=self.registry)
                problems += [
                    f"{method} {template}: body {e.json_path}: {e.message}" for e in validator.iter_errors(data)
                ]
        return problems
