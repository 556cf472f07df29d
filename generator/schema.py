"""The note, topic and lede fields, declared once.

Validation (here), the JSON Schema for editors' YAML tooling (``jsonschema.py``),
the ``briefing new`` template's placeholders and the README's field table are
all derived from these declarations or checked against them by a test.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from generator.frontmatter import InvalidDate, LineList, LineMap, is_date
from generator.languages import CODES
from generator.problems import Problem, error, shorten, warning

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
_URL_SPACE = re.compile(r"[\s\x00-\x1f]")  # what str.isspace() finds, and control characters
RELIABILITY = ("A", "B", "C", "D", "E", "F")
CONFIDENCE = (
    "almost-no-chance",
    "very-unlikely",
    "unlikely",
    "roughly-even-chance",
    "likely",
    "very-likely",
    "almost-certain",
)
RELIABILITY_MEANING = {
    "A": "completely reliable",
    "B": "usually reliable",
    "C": "fairly reliable",
    "D": "not usually reliable",
    "E": "unreliable",
    "F": "reliability cannot be judged",
}
CREDIBILITY_MEANING = {
    1: "confirmed by other sources",
    2: "probably true",
    3: "possibly true",
    4: "doubtful",
    5: "improbable",
    6: "truth cannot be judged",
}
PLACEHOLDER = "TODO"  # what `briefing new` writes where an editor still has to fill in
MAX_TEXT = 1000
MAX_NAME = 120


class Kind(enum.Enum):
    TEXT = "text"
    NAME = "name"  # short text: a source name, an author
    DATE = "date"
    URL = "url"
    LANGUAGE = "language"
    SLUG = "slug"
    SLUGS = "slugs"
    NAMES = "names"
    TEXTS = "texts"
    INT = "int"
    CHOICE = "choice"
    BOOL = "bool"
    MAPPING = "mapping"


@dataclass(frozen=True)
class Field:
    """One front-matter field: its type, whether it is required, and what it means."""

    name: str
    kind: Kind
    help: str
    required: bool = False
    default: Any = None
    choices: tuple[Any, ...] = ()
    bounds: tuple[int, int] | None = None
    children: tuple[Field, ...] = ()
    example: Any = None


SOURCE_FIELDS: tuple[Field, ...] = (
    Field("name", Kind.NAME, "Publication or organisation", required=True, example="The Information"),
    Field("url", Kind.URL, "Link to the source; http or https only", required=True, example="https://www.example.com/article"),
    Field("language", Kind.LANGUAGE, "ISO 639-1 code of the source's language", default="en", example="en"),
    Field("published", Kind.DATE, "When the source was published (YYYY-MM-DD)"),
    Field("author", Kind.NAME, "Author or byline"),
    Field(
        "reliability",
        Kind.CHOICE,
        "Admiralty source reliability: A reliable … E unreliable, F cannot be judged",
        choices=RELIABILITY,
        example="B",
    ),
    Field(
        "credibility",
        Kind.INT,
        "Admiralty information credibility: 1 confirmed … 5 improbable, 6 cannot be judged",
        bounds=(1, 6),
        example=2,
    ),
    Field("archived_url", Kind.URL, "An archived copy (http or https)"),
)

NOTE_FIELDS: tuple[Field, ...] = (
    Field("title", Kind.TEXT, "Headline, in English", required=True),
    Field("date", Kind.DATE, "When the event happened or was reported (YYYY-MM-DD); sets the ISO week", required=True),
    Field("topics", Kind.SLUGS, "One or more topic slugs from briefings/topics/", required=True),
    Field("source", Kind.MAPPING, "Where it comes from", required=True, children=SOURCE_FIELDS),
    Field("summary", Kind.TEXT, "One or two sentences, in English", required=True),
    Field("original_title", Kind.TEXT, "The headline in the source's language"),
    Field("entities", Kind.NAMES, "Companies, products, agencies, people; each gets a timeline page", default=()),
    Field("tags", Kind.NAMES, "Free keywords", default=()),
    Field("importance", Kind.INT, "1 (minor) … 5 (major)", default=3, bounds=(1, 5)),
    Field("confidence", Kind.CHOICE, "ICD 203 likelihood word", choices=CONFIDENCE),
    Field("story", Kind.SLUG, "Notes with the same story id are one briefing item"),
    Field("draft", Kind.BOOL, "Drafts show under `mkdocs serve` only", default=False),
)

TOPIC_FIELDS: tuple[Field, ...] = (
    Field("title", Kind.NAME, "The topic's name", required=True),
    Field("description", Kind.TEXT, "One sentence: what the topic covers", required=True),
    Field("entities", Kind.NAMES, "Watch list of entities", default=()),
    Field("order", Kind.INT, "Position among topics (lowest first)", default=100, bounds=(-10_000, 10_000)),
)

LEDE_FIELDS: tuple[Field, ...] = (Field("watch", Kind.TEXTS, "What to watch next: short lines", default=()),)

ENTITY_FIELDS: tuple[Field, ...] = (
    Field("description", Kind.TEXT, "One line on who or what the entity is, shown above its timeline", required=True),
)

PAGE_FIELDS: tuple[Field, ...] = (
    Field("title", Kind.NAME, "The page's title (default: its first heading)"),
    Field("description", Kind.TEXT, "One sentence, for link previews and search results"),
    Field("tags", Kind.NAMES, "Free keywords", default=()),
    Field("hide", Kind.NAMES, "Parts of the page layout to hide: navigation, toc, footer", default=()),
)


@functools.cache  # asked for every value checked, so once per field, not 15 times per note
def _expected(spec: Field) -> str:
    return {
        Kind.TEXT: "text",
        Kind.NAME: "a short text",
        Kind.DATE: "a date YYYY-MM-DD",
        Kind.URL: "an http(s) URL",
        Kind.LANGUAGE: "an ISO 639-1 code such as en, fr, zh",
        Kind.SLUG: "a slug of lowercase letters, digits and hyphens",
        Kind.SLUGS: "a list of slugs such as [ai-chip-self-sufficiency]",
        Kind.NAMES: "a list of names such as [Alibaba, Baidu]",
        Kind.TEXTS: "a list of short texts",
        Kind.INT: "a whole number" + (f" from {spec.bounds[0]} to {spec.bounds[1]}" if spec.bounds else ""),
        Kind.CHOICE: "one of " + ", ".join(str(c) for c in spec.choices),
        Kind.BOOL: "true or false",
        Kind.MAPPING: "a mapping of fields",
    }[spec.kind]


def _wrong_type(spec: Field, name: str, value: object) -> str:
    return f"'{name}' must be {_expected(spec)}, found {_type_name(value)}"


def _type_name(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, (dt.date, InvalidDate)):
        return "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return f"text {shorten(value)}"


class _Checker:
    """Checks one mapping against field declarations, collecting problems."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def fail(self, line: int, name: str, message: str | Callable[[], str]) -> Any:
        """Record an error; returns None, the value of a field that failed. A function ``message`` is called only now."""
        self.problems.append(error(self.path, line, name, message if isinstance(message, str) else message()))
        return None

    def warn(self, line: int, name: str, message: str) -> None:
        self.problems.append(warning(self.path, line, name, message))

    def mapping(self, meta: LineMap, fields: tuple[Field, ...], prefix: str = "", line: int = 1) -> dict[str, Any]:
        """Check ``meta``; ``line`` is where a missing field is reported: the parent key's line, or 1."""
        known = {f.name: f for f in fields}
        for key in meta:
            if key not in known:
                guess = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
                hint = f"; did you mean '{guess[0]}'?" if guess else f"; known fields: {', '.join(known)}"
                self.warn(meta.lines[key], prefix + key, f"unknown field '{prefix}{key}'{hint}")
        values: dict[str, Any] = {}
        for spec in fields:
            name = prefix + spec.name
            if spec.name not in meta or meta[spec.name] is None:
                if spec.required and spec.name in meta:  # `name:` with nothing after it: point at that key
                    self.fail(meta.lines[spec.name], name, f"'{name}' is empty; expected {_expected(spec)}")
                elif spec.required:
                    self.fail(line, name, f"missing required field '{name}' ({_expected(spec)})")
                values[spec.name] = spec.default
                continue
            values[spec.name] = self.value(spec, name, meta[spec.name], meta.lines[spec.name])
        return values

    def value(self, spec: Field, name: str, value: Any, line: int) -> Any:
        # Made only for a value of the wrong type: formatting it for every value was a tenth of loading a note.
        wrong = functools.partial(_wrong_type, spec, name, value)
        kind = spec.kind
        if kind in (Kind.TEXT, Kind.NAME):
            limit = MAX_TEXT if kind is Kind.TEXT else MAX_NAME
            if not isinstance(value, str):
                return self.fail(line, name, wrong)
            text = " ".join(value.split())
            if not text:
                return self.fail(line, name, f"'{name}' is empty")
            if len(text) > limit:
                return self.fail(line, name, f"'{name}' is {len(text)} characters long; at most {limit}")
            if text.startswith(PLACEHOLDER):
                self.warn(line, name, f"'{name}' is still a placeholder: {shorten(text)}")
            return text
        if kind is Kind.DATE:
            return self.date(name, value, line, wrong)
        if kind is Kind.URL:
            return self.url(name, value, line, wrong)
        if kind is Kind.LANGUAGE:
            if not isinstance(value, str) or value.lower() not in CODES:
                return self.fail(line, name, f"'{name}' must be an ISO 639-1 code such as en, fr, zh, found {_type_name(value)}")
            if value != value.lower():  # accepted, but the JSON Schema (and ISO) spell codes in lowercase
                self.warn(line, name, f"'{name}' is '{value}'; write ISO 639-1 codes in lowercase: {value.lower()}")
            return value.lower()
        if kind is Kind.SLUG:
            if not isinstance(value, str) or not _SLUG.match(value):
                return self.fail(line, name, wrong)
            return value
        if kind in (Kind.SLUGS, Kind.NAMES, Kind.TEXTS):
            return self.strings(spec, name, value, line, wrong)
        if kind is Kind.INT:
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # 3.0 is a whole number, as JSON Schema's "integer" agrees
            if isinstance(value, bool) or not isinstance(value, int):
                return self.fail(line, name, wrong)
            low, high = spec.bounds or (value, value)
            if not low <= value <= high:
                return self.fail(line, name, wrong)
            return value
        if kind is Kind.CHOICE:
            if value not in spec.choices:
                return self.fail(line, name, wrong)
            return value
        if kind is Kind.BOOL:
            if not isinstance(value, bool):
                return self.fail(line, name, wrong)
            return value
        if not isinstance(value, LineMap):
            return self.fail(line, name, wrong)
        return self.mapping(value, spec.children, prefix=name + ".", line=line)

    def date(self, name: str, value: Any, line: int, wrong: Callable[[], str]) -> dt.date | None:
        if isinstance(value, InvalidDate):
            return self.fail(line, name, f"'{name}' is not a real date: {value.text} ({value.reason})")
        if isinstance(value, dt.datetime):
            self.warn(line, name, f"'{name}' has a time of day; only the date {value.date()} is used")
            return value.date()
        if is_date(value):
            return value  # type: ignore[no-any-return]
        if isinstance(value, str):
            try:
                parsed = dt.date.fromisoformat(value.strip())
            except ValueError:
                return self.fail(line, name, wrong)
            self.warn(line, name, f"'{name}' is quoted text; write it unquoted as {parsed.isoformat()}")
            return parsed
        return self.fail(line, name, wrong)

    def url(self, name: str, value: Any, line: int, wrong: Callable[[], str]) -> str | None:
        if not isinstance(value, str):
            return self.fail(line, name, wrong)
        url = value.strip()
        try:
            parts = urlsplit(url)
        except ValueError:
            return self.fail(line, name, wrong)
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc or _URL_SPACE.search(url):
            return self.fail(line, name, f"'{name}' must be an http or https URL, found {shorten(url)}")
        return url

    def strings(self, spec: Field, name: str, value: Any, line: int, wrong: Callable[[], str]) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            return self.fail(line, name, wrong)
        lines = value.lines if isinstance(value, LineList) else [line] * len(value)
        if spec.required and not value:
            return self.fail(line, name, f"'{name}' is empty; it needs at least one item")
        items: list[str] = []
        for index, (item, item_line) in enumerate(zip(value, lines, strict=True)):
            item_name = f"{name}[{index}]"
            if not isinstance(item, str) or not item.strip():
                self.fail(item_line, name, f"'{item_name}' must be a non-empty text, found {_type_name(item)}")
                continue
            text = " ".join(item.split())
            if spec.kind is Kind.SLUGS and not _SLUG.match(text):
                self.fail(
                    item_line,
                    name,
                    f"'{item_name}' must be a slug of lowercase letters, digits and hyphens, found {shorten(text)}",
                )
                continue
            if len(text) > (MAX_TEXT if spec.kind is Kind.TEXTS else MAX_NAME):
                self.fail(item_line, name, f"'{item_name}' is {len(text)} characters long")
                continue
            if text in items:
                self.warn(item_line, name, f"'{item_name}' repeats {shorten(text)}")
                continue
            items.append(text)
        return tuple(items)


def check(meta: LineMap, fields: tuple[Field, ...], path: str) -> tuple[dict[str, Any], list[Problem]]:
    """Validate ``meta`` against ``fields``; values that failed come back as ``None``."""
    checker = _Checker(path)
    values = checker.mapping(meta, fields)
    return values, checker.problems


def is_slug(text: str) -> bool:
    return bool(_SLUG.match(text))
