"""A small declared schema language: one definition drives validation and JSON Schema.

Validation collects every problem (with did-you-mean for misspelt keys) instead of
stopping at the first; `to_json()` gives the same rules to editors.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from kaartgen import messages as msg
from kaartgen.messages import Said
from kaartgen.units import LENGTH_PATTERN, UnitError, parse_length
from kaartgen.yamlio import Doc

MAX_NUMBER = 1e9

_TYPE_NAMES = {str: msg.TYPE_TEXT, int: msg.TYPE_INTEGER, float: msg.TYPE_NUMBER, bool: msg.TYPE_BOOL,
               list: msg.TYPE_LIST, dict: msg.TYPE_MAPPING, type(None): msg.TYPE_EMPTY}


def type_name(value: Any) -> Said | str:
    return _name_of_type(type(value))


def _name_of_type(kind: type) -> Said | str:
    return _TYPE_NAMES[kind]() if kind in _TYPE_NAMES else kind.__name__


class Checker:
    """Collects problems while walking a document."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.problems = []

    def fail(self, path: tuple, message: Said | str) -> None:
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
        if getattr(self, "default", None) is not None:
            body["default"] = self.default
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
    pattern_hint: Said | str = ""
    max_length: int | None = None
    allow_empty: bool = False
    default: Any = None

    def check(self, value, path, checker):
        if not isinstance(value, str):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return  # YAML reads 2024 or 1.5 as numbers; as text they are fine
            checker.fail(path, msg.EXPECTED(expected=msg.TYPE_TEXT(), got=type_name(value)))
            return
        if not self.allow_empty and not value.strip():
            checker.fail(path, msg.EMPTY_TEXT())
        elif self.pattern and not re.match(self.pattern, value):
            checker.fail(path, msg.NOT_VALID_HERE_BECAUSE(value=value, hint=self.pattern_hint) if self.pattern_hint
                         else msg.NOT_VALID_HERE(value=value))
        elif self.max_length and len(value) > self.max_length:
            checker.fail(path, msg.TOO_LONG(length=len(value), limit=self.max_length))

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
    default: Any = None

    def check(self, value, path, checker):
        ok = isinstance(value, int) if self.integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            checker.fail(path, msg.EXPECTED(expected=(msg.TYPE_INTEGER if self.integer else msg.TYPE_NUMBER)(),
                                            got=repr(value)))
        elif not abs(value) <= MAX_NUMBER:  # .nan, .inf, 10**400: nothing we draw needs them
            checker.fail(path, msg.NOT_A_NUMBER(value=str(value)[:24]) if value != value
                         else msg.NUMBER_TOO_LARGE(value=str(value)[:24], limit=f"{MAX_NUMBER:g}"))
        elif self.minimum is not None and value < self.minimum:
            checker.fail(path, msg.BELOW_MINIMUM(value=value, minimum=self.minimum))
        elif self.maximum is not None and value > self.maximum:
            checker.fail(path, msg.ABOVE_MAXIMUM(value=value, maximum=self.maximum))

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
    default: Any = None

    def check(self, value, path, checker):
        if not isinstance(value, bool):
            checker.fail(path, msg.EXPECTED(expected=msg.TYPE_BOOL(), got=repr(value)))

    def to_json(self):
        return self._json({"type": "boolean"})


@dataclass
class Enum(Schema):
    values: tuple
    description: str = ""
    default: Any = None

    def check(self, value, path, checker):
        # Python counts True as 1; a YAML `true` is never a step number.
        strict_bool = isinstance(value, bool) and not any(isinstance(v, bool) for v in self.values)
        if strict_bool or (value not in self.values and str(value) not in [str(v) for v in self.values]):
            hint = suggest(str(value), [str(v) for v in self.values])
            checker.fail(path, msg.NOT_ONE_OF(value=repr(value), choices=[str(v) for v in self.values], hint=hint))

    def to_json(self):
        return self._json({"enum": list(self.values)})


@dataclass
class Length(Schema):
    """A length with a unit; `percent` allows a share of the surrounding box."""

    description: str = ""
    percent: bool = True
    positive: bool = False
    default: Any = None

    def check(self, value, path, checker):
        try:
            points = parse_length(value, 100.0 if self.percent else None)
        except UnitError as exc:
            checker.fail(path, exc.said)
            return
        if self.positive and points <= 0:
            checker.fail(path, msg.NOT_POSITIVE(value=value))

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
            checker.fail(path, msg.EXPECTED(expected=msg.TYPE_LIST(), got=type_name(value)))
            return
        if len(value) < self.min_items:
            checker.fail(path, msg.TOO_FEW_ITEMS(minimum=self.min_items))
        if self.max_items is not None and len(value) > self.max_items:
            checker.fail(path, msg.TOO_MANY_ITEMS(count=len(value), maximum=self.max_items))
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
    moved: dict[str, str] | None = None  # old spelling -> how to write it now (a migration message)

    def check(self, value, path, checker):
        if not isinstance(value, dict):
            checker.fail(path, msg.EXPECTED(expected=msg.TYPE_MAPPING(), got=type_name(value)))
            return
        for key in self.required:
            if key not in value and not (self.moved and set(self.moved) & set(value)):
                checker.fail(path, msg.MISSING_KEY(key=key))
        for key, item in value.items():
            if self.moved and key in self.moved:
                checker.fail(path + (key,), msg.OLD_SPELLING(key=key, hint=msg.said(self.moved[key])))
            elif key in self.fields:
                self.fields[key].check(item, path + (key,), checker)
            elif self.extra is not None:
                self.extra.check(item, path + (key,), checker)
            else:
                checker.fail(path + (key,), msg.UNKNOWN_KEY(key=key, hint=suggest(str(key), list(self.fields)),
                                                            choices=list(self.fields)))

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
    default: Any = None

    def check(self, value, path, checker):
        for kind, schema in self.options:
            if isinstance(value, kind) and not (isinstance(value, bool) and bool not in _as_tuple(kind)):
                schema.check(value, path, checker)
                return
        names = [_name_of_type(k) for kind, _ in self.options for k in _as_tuple(kind)]
        expected = names[0] if len(names) == 1 else msg.EITHER(first=names[0], second=names[-1])
        checker.fail(path, msg.EXPECTED(expected=expected, got=type_name(value)))

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
            checker.fail(path, msg.EXPECTED_MAPPING_WITH(key=self.key, got=type_name(value)))
            return
        tag = value.get(self.key)
        if tag is None:
            checker.fail(path, msg.MISSING_KEY_ONE_OF(key=self.key, choices=list(self.variants)))
            return
        if not isinstance(tag, str) or tag not in self.variants:  # a list or mapping here must not crash
            checker.fail(path + (self.key,), msg.NOT_ONE_OF(value=repr(tag), choices=list(self.variants),
                                                            hint=suggest(str(tag), list(self.variants))))
            return
        self.variants[tag].check(value, path, checker)

    def to_json(self):
        return self._json({"oneOf": [
            {**schema.to_json(), "properties": {**schema.to_json()["properties"], self.key: {"const": tag}},
             "required": sorted(set(schema.required) | {self.key})}
            for tag, schema in self.variants.items()]})


@dataclass
class Refused(Schema):
    """A shape that is no longer accepted; the message says what to write instead."""

    message: str
    description: str = ""

    def check(self, value, path, checker):
        checker.fail(path, msg.OLD_SPELLING(key=path[-1] if path else "", hint=msg.said(self.message)))

    def to_json(self):
        return self._json({"not": {}})


@dataclass
class Overridable(Schema):
    """A named element: complete (with `key`, checked by `tagged`) or, without `key`, a change to
    the element of the same name in the layout it extends (any keys of `changes`).

    Required keys are checked after merging, when the whole element is known."""

    tagged: Tagged
    changes: Map
    description: str = ""

    def check(self, value, path, checker):
        if isinstance(value, dict) and self.tagged.key not in value:
            self.changes.check(value, path, checker)
        else:
            self.tagged.check(value, path, checker)

    def to_json(self):
        return self._json({"if": {"type": "object", "required": [self.tagged.key]},
                           "then": self.tagged.to_json(), "else": self.changes.to_json()})


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


def suggest(word: str, options: list[str]) -> Said | str:
    """" (did you mean 'x'?)" for the option closest to `word`, or "" if none is close."""
    close = difflib.get_close_matches(word, [o for o in options if o != word], n=1, cutoff=0.6)
    return msg.DID_YOU_MEAN(name=close[0]) if close else ""


def validate(doc: Doc, schema: Schema, path: tuple = ()) -> list:
    checker = Checker(doc)
    schema.check(doc.data if not path else _get(doc.data, path), path, checker)
    return checker.problems


def _get(data, path):
    for part in path:
        data = data[part]
    return data
