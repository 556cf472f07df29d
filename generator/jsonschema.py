"""JSON Schema for notes and topics, derived from the field declarations in ``schema``.

Editors point their YAML tooling at it (``briefing schema > note.schema.json``)
for completion and inline errors while they type.
"""

from __future__ import annotations

from typing import Any

from generator import characters, schema
from generator.languages import CODES
from generator.schema import Field, Kind


def _escaped(char_class: str) -> str:
    """A character class as ``\\uXXXX`` escapes, which both ECMA-262 (editors' tooling) and Python's ``re`` read."""
    return "".join(c if c == "-" else f"\\u{ord(c):04x}" for c in char_class)


# What the validator refuses in text (generator.characters), Basic Multilingual Plane part:
# ECMA-262 patterns without the u flag cannot name astral characters.
_NOT_IN_TEXT = {"not": {"type": "string", "pattern": f"[{_escaped(characters.FORBIDDEN_BMP + characters.BIDI_CLASS)}]"}}
_NOT_IN_NAMES = {"not": {"type": "string", "pattern": f"[{_escaped(characters.FORBIDDEN_BMP + characters.INVISIBLE_BMP)}]"}}


def _property(spec: Field) -> dict[str, Any]:
    kind = spec.kind
    prop: dict[str, Any]
    if kind in (Kind.TEXT, Kind.NAME):
        limit = schema.MAX_TEXT if kind is Kind.TEXT else schema.MAX_NAME
        refused = _NOT_IN_TEXT if kind is Kind.TEXT else _NOT_IN_NAMES
        prop = {"type": "string", "minLength": 1, "maxLength": limit, "pattern": r"\S", **refused}
    elif kind is Kind.DATE:
        # The years the validator accepts (schema.MIN_DATE .. MAX_DATE).
        prop = {"type": "string", "format": "date", "pattern": r"^(19|20)\d{2}-\d{2}-\d{2}$"}
    elif kind is Kind.URL:
        # A host, then no whitespace or control character anywhere, as the validator requires.
        prop = {"type": "string", "pattern": r"^[hH][tT][tT][pP][sS]?://[^\s/?#\x00-\x1f]+[^\s\x00-\x1f]*$"}
    elif kind is Kind.LANGUAGE:
        prop = {"type": "string", "enum": sorted(CODES)}
    elif kind is Kind.SLUG:
        prop = {"type": "string", "pattern": schema.SLUG_PATTERN}
    elif kind is Kind.SLUGS:
        prop = {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": schema.SLUG_PATTERN}}
    elif kind in (Kind.NAMES, Kind.TEXTS):
        limit = schema.MAX_TEXT if kind is Kind.TEXTS else schema.MAX_NAME
        refused = _NOT_IN_TEXT if kind is Kind.TEXTS else _NOT_IN_NAMES
        prop = {"type": "array", "items": {"type": "string", "minLength": 1, "maxLength": limit, "pattern": r"\S", **refused}}
    elif kind is Kind.INT:
        prop = {"type": "integer"}
        if spec.bounds:
            prop["minimum"], prop["maximum"] = spec.bounds
    elif kind is Kind.CHOICE:
        prop = {"enum": list(spec.choices)}
    elif kind is Kind.BOOL:
        prop = {"type": "boolean"}
    else:
        prop = _object(spec.children)
    prop["description"] = spec.help
    if spec.default not in (None, ()):
        prop["default"] = spec.default
    return prop if spec.required else _nullable(prop)


def _nullable(prop: dict[str, Any]) -> dict[str, Any]:
    """An optional key written with no value (``author:``) is YAML null; the validator treats it as absent."""
    if "enum" in prop:
        return {**prop, "enum": [*prop["enum"], None]}
    return {**prop, "type": [prop["type"], "null"]}


def _object(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {f.name: _property(f) for f in fields},
        "required": [f.name for f in fields if f.required],
        "additionalProperties": False,
    }


def json_schema(kind: str = "note") -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a note's or a topic's front matter."""
    fields = {
        "note": schema.NOTE_FIELDS,
        "topic": schema.TOPIC_FIELDS,
        "lede": schema.LEDE_FIELDS,
        "entity": schema.ENTITY_FIELDS,
        "page": schema.PAGE_FIELDS,
    }[kind]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://briefing-generator.invalid/schema/{kind}.json",
        "title": f"Briefing {kind} front matter",
        **_object(fields),
    }
