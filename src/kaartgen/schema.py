"""A small declared schema language: one definition drives validation and JSON Schema.

Validation collects every problem (with did-you-mean for misspelt keys) instead of
stopping at the first; `to_json()` gives the same rules to editors.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from kaartgen.units import LENGTH_PATTERN, UnitError, parse_length
from kaartgen.yamlio import Doc

MAX_NUMBER = 1e9

_TYPE_NAMES = {str: "text", int: "a whole number", float: "a number", bool: "true or false",
               list: "a list", dict: "a mapping", type(None): "empty"}


def type_name(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class Checker:
    """Collects problems while walking a document."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.problems = []

    def fail(self, path: tuple, message: str) -> None:
        self.problems.append(self.doc.problem(path, message))


class Schema:
    description: str = ""

    def check(self, value: Any, path: tuple, checker: Checker) -> None:
        raise NotImplementedError

    def to_json(self) -> dict:
        raise NotImplementedError

    def _json(self, body: dict) -> dict:
        if self.description:
            body["description"] = self.description
        return body


@dataclass
class Any_(Schema):
    description: str = ""

    def check(self, value, path, checker):
        pass

    def to_json(self):
        return self._json({})


@dataclass
class Str(Schema):
    description: str = ""
    pattern: str | None = None
    pattern_hint: str = ""
    max_length: int | None = None
    allow_empty: bool = False

    def check(self, value, path, checker):
        if not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return  # YAML reads 2024 or 1.5 as numbers; as text they are fine
            checker.fail(path, f"expected text, got {type_name(value)}")
            return
        if not self.allow_empty and not value.strip():
            checker.fail(path, "must not be empty")
        elif self.pattern and not re.match(self.pattern, value):
            checker.fail(path, f"'{value}' is not valid here{': ' + self.pattern_hint if self.pattern_hint else ''}")
        elif self.max_length and len(value) > self.max_length:
            checker.fail(path, f"is {len(value)} characters long; at most {self.max_length} allowed")

    def to_json(self):
        body: dict = {"type": ["string", "number"]}  # numbers pass as text, see check()
        if self.pattern:
            body["pattern"] = self.pattern  # applies to strings only, as in check()
        elif not self.allow_empty:
            body["pattern"] = r"\S"  # not empty or only spaces
        if self.max_length:
            body["maxLength"] = self.max_length
        return self._json(body)


@dataclass
class Num(Schema):
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False

    def check(self, value, path, checker):
        ok = isinstance(value, int) if self.integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            checker.fail(path, f"expected {'a whole number' if self.integer else 'a number'}, got {value!r}")
        elif not abs(value) <= MAX_NUMBER:  # .nan, .inf, 10**400: nothing we draw needs them
            what = "not a number" if value != value else f"too large (at most {MAX_NUMBER:g})"
            checker.fail(path, f"{str(value)[:24]} is {what}")
        elif self.minimum is not None and value < self.minimum:
            checker.fail(path, f"{value} is below the minimum {self.minimum}")
        elif self.maximum is not None and value > self.maximum:
            checker.fail(path, f"{value} is above the maximum {self.maximum}")

    def to_json(self):
        body: dict = {"type": "integer" if self.integer else "number"}
        if self.minimum is not None:
            body["minimum"] = self.minimum
        if self.maximum is not None:
            body["maximum"] = self.maximum
        return self._json(body)


@dataclass
class Bool(Schema):
    description: str = ""

    def check(self, value, path, checker):
        if not isinstance(value, bool):
            checker.fail(path, f"expected true or false, got {value!r}")

    def to_json(self):
        return self._json({"type": "boolean"})


@dataclass
class Enum(Schema):
    values: tuple
    description: str = ""

    def check(self, value, path, checker):
        # Python counts True as 1; a YAML `true` is never a step number.
        strict_bool = isinstance(value, bool) and not any(isinstance(v, bool) for v in self.values)
        if strict_bool or (value not in self.values and str(value) not in [str(v) for v in self.values]):
            hint = suggest(str(value), [str(v) for v in self.values])
            checker.fail(path, f"{value!r} is not one of {', '.join(str(v) for v in self.values)}{hint}")

    def to_json(self):
        return self._json({"enum": list(self.values)})


@dataclass
class Length(Schema):
    """A length with a unit; `percent` allows a share of the surrounding box."""

    description: str = ""
    percent: bool = True
    positive: bool = False

    def check(self, value, path, checker):
        try:
            points = parse_length(value, 100.0 if self.percent else None)
        except UnitError as exc:
            checker.fail(path, str(exc))
            return
        if self.positive and points <= 0:
            checker.fail(path, f"'{value}' must be larger than zero")

    def to_json(self):
        units = "mm|cm|pt|in|%" if self.percent else "mm|cm|pt|in"
        if self.positive:  # no sign, and not zero
            pattern = rf"^\s*(?!0*(\.0*)?\s*({units})\s*$)\d+(\.\d+)?\s*({units})\s*$"
            return self._json({"type": "string", "pattern": pattern})
        pattern = LENGTH_PATTERN if self.percent else rf"^\s*-?\d+(\.\d+)?\s*({units})\s*$"
        return self._json({"oneOf": [{"type": "string", "pattern": pattern}, {"const": 0}]})


@dataclass
class ListOf(Schema):
    item: Schema
    description: str = ""
    min_items: int = 0
    max_items: int | None = None

    def check(self, value, path, checker):
        if not isinstance(value, list):
            checker.fail(path, f"expected a list, got {type_name(value)}")
            return
        if len(value) < self.min_items:
            checker.fail(path, f"needs at least {self.min_items} item{'s' if self.min_items != 1 else ''}")
        if self.max_items is not None and len(value) > self.max_items:
            checker.fail(path, f"has {len(value)} items; at most {self.max_items} allowed")
        for i, item in enumerate(value):
            self.item.check(item, path + (i,), checker)

    def to_json(self):
        body = {"type": "array", "items": self.item.to_json()}
        if self.min_items:
            body["minItems"] = self.min_items
        if self.max_items is not None:
            body["maxItems"] = self.max_items
        return self._json(body)


@dataclass
class Map(Schema):
    fields: dict[str, Schema]
    required: tuple = ()
    description: str = ""
    extra: Schema | None = None  # schema for keys not listed in `fields`; None forbids them

    def check(self, value, path, checker):
        if not isinstance(value, dict):
            checker.fail(path, f"expected a mapping (key: value), got {type_name(value)}")
            return
        for key in self.required:
            if key not in value:
                checker.fail(path, f"missing required key '{key}'")
        for key, item in value.items():
            if key in self.fields:
                self.fields[key].check(item, path + (key,), checker)
            elif self.extra is not None:
                self.extra.check(item, path + (key,), checker)
            else:
                checker.fail(path + (key,), f"unknown key '{key}'{suggest(str(key), list(self.fields))}")

    def to_json(self):
        body: dict = {"type": "object", "properties": {k: s.to_json() for k, s in self.fields.items()}}
        if self.required:
            body["required"] = list(self.required)
        body["additionalProperties"] = self.extra.to_json() if self.extra is not None else False
        return self._json(body)


@dataclass
class OneOf(Schema):
    """Accepts the first alternative whose Python type matches (text or mapping, say)."""

    options: list[tuple[type | tuple, Schema]]
    description: str = ""

    def check(self, value, path, checker):
        for kind, schema in self.options:
            if isinstance(value, kind) and not (isinstance(value, bool) and bool not in _as_tuple(kind)):
                schema.check(value, path, checker)
                return
        names = " or ".join(_TYPE_NAMES.get(k, k.__name__) for kind, _ in self.options for k in _as_tuple(kind))
        checker.fail(path, f"expected {names}, got {type_name(value)}")

    def to_json(self):
        return self._json({"anyOf": [_only_types(s.to_json(), _as_tuple(kind)) for kind, s in self.options]})


@dataclass
class Tagged(Schema):
    """Mappings told apart by one key, like elements by `type`."""

    key: str
    variants: dict[str, Map]
    description: str = ""

    def check(self, value, path, checker):
        if not isinstance(value, dict):
            checker.fail(path, f"expected a mapping with '{self.key}', got {type_name(value)}")
            return
        tag = value.get(self.key)
        if tag is None:
            checker.fail(path, f"missing required key '{self.key}' (one of {', '.join(self.variants)})")
            return
        if not isinstance(tag, str) or tag not in self.variants:  # a list or mapping here must not crash
            checker.fail(path + (self.key,),
                         f"'{tag}' is not one of {', '.join(self.variants)}{suggest(str(tag), list(self.variants))}")
            return
        self.variants[tag].check(value, path, checker)

    def to_json(self):
        return self._json({"oneOf": [
            {**schema.to_json(), "properties": {**schema.to_json()["properties"], self.key: {"const": tag}},
             "required": sorted(set(schema.required) | {self.key})}
            for tag, schema in self.variants.items()]})


def _as_tuple(kind) -> tuple:
    return kind if isinstance(kind, tuple) else (kind,)


_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array",
               dict: "object", type(None): "null"}


def _only_types(body: dict, kinds: tuple) -> dict:
    """Narrow a JSON Schema to the JSON types of these Python types (as OneOf.check picks them)."""
    allowed = {_JSON_TYPES[k] for k in kinds if k in _JSON_TYPES}
    if "number" in allowed:
        allowed.discard("integer")
    have = body.get("type")
    if have is None:
        types = sorted(allowed)
    else:
        types = []
        for t in ([have] if isinstance(have, str) else have):
            if t in allowed:
                types.append(t)
            elif t == "number" and "integer" in allowed:
                types.append("integer")
            elif t == "integer" and "number" in allowed:
                types.append("integer")
    if not types:
        return {"not": {}}  # check() never gets here with these types
    return {**body, "type": types[0] if len(types) == 1 else types}


def suggest(word: str, options: list[str]) -> str:
    close = difflib.get_close_matches(word, [o for o in options if o != word], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def validate(doc: Doc, schema: Schema, path: tuple = ()) -> list:
    checker = Checker(doc)
    schema.check(doc.data if not path else _get(doc.data, path), path, checker)
    return checker.problems


def _get(data, path):
    for part in path:
        data = data[part]
    return data
