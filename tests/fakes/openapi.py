"""Check a request against an OpenAPI 3 document: the path and method exist, query parameters are declared and of
the declared type, required ones are present, and a JSON body matches the request schema (required properties,
types, enums; ``$ref``/``allOf`` resolved). Returns the problems found, as readable strings.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

SPECS = Path("/work/shared/specs")
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


class OpenApi:
    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self._routes = []
        for template, item in document["paths"].items():
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            self._routes.append((re.compile(pattern), template, item))

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        for pattern, template, item in self._routes:
            if pattern.match(path) and method.lower() in item:
                return template, item[method.lower()]
        return None

    def resolve(self, schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            node: Any = self.document
            for part in schema["$ref"].removeprefix("#/").split("/"):
                node = node[part]
            schema = node
        if "allOf" in schema and len(schema["allOf"]) == 1:
            return self.resolve(schema["allOf"][0])
        return schema

    def check(self, method: str, path: str, query: dict[str, list[str]], body: Any) -> list[str]:
        found = self.operation(method, path)
        if found is None:
            return [f"{method} {path}: no such operation in the spec"]
        template, op = found
        where = f"{method} {template}"
        problems: list[str] = []
        declared = {p["name"]: p for p in map(self.resolve, op.get("parameters", [])) if p.get("in") == "query"}
        for name, values in query.items():
            if name not in declared:
                problems.append(f"{where}: undeclared query parameter {name!r}")
                continue
            schema = self.resolve(declared[name].get("schema", {}))
            for value in values:
                problems += _scalar_problems(f"{where} ?{name}", schema, value)
        problems += [
            f"{where}: missing required query parameter {n!r}"
            for n, p in declared.items()
            if p.get("required") and n not in query
        ]
        request_body = op.get("requestBody")
        if request_body is not None:
            request_body = self.resolve(request_body)
            schema = request_body.get("content", {}).get("application/json", {}).get("schema")
            if body is None and request_body.get("required"):
                problems.append(f"{where}: missing required JSON body")
            elif body is not None and schema is not None:
                problems += self.body_problems(where, schema, body, depth=0)
        elif body is not None:
            problems.append(f"{where}: takes no request body")
        return problems

    def body_problems(self, where: str, schema: dict[str, Any], value: Any, *, depth: int) -> list[str]:
        schema = self.resolve(schema)
        if depth > 8 or not schema:
            return []
        kind = schema.get("type")
        if kind in _TYPES and not (
            isinstance(value, _TYPES[kind]) and not (kind != "boolean" and isinstance(value, bool))
        ):
            return [f"{where}: expected {kind}, got {type(value).__name__}"]
        if "enum" in schema and value not in schema["enum"]:
            return [f"{where}: {value!r} not one of {schema['enum']}"]
        problems: list[str] = []
        if isinstance(value, dict):
            problems += [f"{where}: missing required {r!r}" for r in schema.get("required", []) if r not in value]
            properties = schema.get("properties", {})
            for name, item in value.items():
                if name in properties:
                    problems += self.body_problems(f"{where}.{name}", properties[name], item, depth=depth + 1)
                elif schema.get("additionalProperties") is False:
                    problems.append(f"{where}: unknown property {name!r}")
        if isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value):
                problems += self.body_problems(f"{where}[{i}]", schema["items"], item, depth=depth + 1)
        return problems


def _scalar_problems(where: str, schema: dict[str, Any], raw: str) -> list[str]:
    kind = schema.get("type", "string")
    if kind == "integer" and not re.fullmatch(r"-?\d+", raw):
        return [f"{where}: {raw!r} is not an integer"]
    if kind == "boolean" and raw not in ("true", "false"):
        return [f"{where}: {raw!r} is not a boolean (true/false)"]
    if "enum" in schema and raw not in schema["enum"]:
        return [f"{where}: {raw!r} not one of {schema['enum']}"]
    return []


@cache
def jira_platform() -> OpenApi:
    return OpenApi(json.loads((SPECS / "jira" / "jira_cloud_platform_swagger.v3.json").read_text()))
