"""The note, topic and lede fields, declared once.

Validation (here), the JSON Schema for editors' YAML tooling (``jsonschema.py``),
the ``briefing new`` template's placeholders and the README's field table are
all derived from these declarations or checked against them by a test.

Every text value is NFC-normalised (a composed and a decomposed "é" are one
name). What a value may contain depends on its kind (``characters`` says why):

- every value: no control character, noncharacter or lone surrogate (XML and
  the feeds cannot carry them) and no bidi embedding, override or isolate
  (U+202A–U+202E, U+2066–U+2069: they reverse what follows on the page);
- names, slugs, URLs, codes (entities, tags, source name and author, topic
  title, story, topics, languages, choices): no invisible character either
  (zero width space and joiners, soft hyphen, byte order mark, bidi marks,
  variation selectors, Hangul fillers …): "Nvi<ZWSP>dia" would be a second
  entity that looks like "Nvidia";
- free text (title, summary, original title, description, watch lines): the
  invisible characters some scripts and emoji need (joiners, marks) are kept.

Each is an error naming the field, the character (``U+200B (zero width
space)``) and its position, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

from slugify import slugify

from generator import sanitize
from generator.characters import (
    BIDI_CLASS,
    FORBIDDEN_BMP,
    FORBIDDEN_CLASS,
    INVISIBLE_BMP,
    INVISIBLE_CLASS,
    coarse,
    kind_of,
    visible,
)
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
# Dates outside this range are typos (2205 for 2025), and the far ends of the calendar have ISO weeks
# that Python cannot represent (9999-12-31 is in week 1 of year 10000).
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2099, 12, 31)


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
    lost: str = ""  # what the site misses while the key is misspelt: "the source reliability grade is not shown"


SOURCE_FIELDS: tuple[Field, ...] = (
    Field("name", Kind.NAME, "Publication or organisation", required=True, example="The Information"),
    Field("url", Kind.URL, "Link to the source; http or https only", required=True, example="https://www.example.com/article"),
    Field(
        "language",
        Kind.LANGUAGE,
        "ISO 639-1 code of the source's language",
        default="en",
        example="en",
        lost="the source is shown as English",
    ),
    Field("published", Kind.DATE, "When the source was published (YYYY-MM-DD)", lost="the publication date is not shown"),
    Field("author", Kind.NAME, "Author or byline", lost="the author is not shown"),
    Field(
        "reliability",
        Kind.CHOICE,
        "Admiralty source reliability: A reliable … E unreliable, F cannot be judged",
        choices=RELIABILITY,
        example="B",
        lost="the source reliability grade is not shown",
    ),
    Field(
        "credibility",
        Kind.INT,
        "Admiralty information credibility: 1 confirmed … 5 improbable, 6 cannot be judged",
        bounds=(1, 6),
        example=2,
        lost="the information credibility grade is not shown",
    ),
    Field("archived_url", Kind.URL, "An archived copy (http or https)", lost="the archived copy is not linked"),
)

NOTE_FIELDS: tuple[Field, ...] = (
    Field("title", Kind.TEXT, "Headline, in English", required=True),
    Field("date", Kind.DATE, "When the event happened or was reported (YYYY-MM-DD); sets the ISO week", required=True),
    Field("topics", Kind.SLUGS, "One or more topic slugs from briefings/topics/", required=True),
    Field("source", Kind.MAPPING, "Where it comes from", required=True, children=SOURCE_FIELDS),
    Field("summary", Kind.TEXT, "One or two sentences, in English", required=True),
    Field("original_title", Kind.TEXT, "The headline in the source's language", lost="the original headline is not shown"),
    Field(
        "entities",
        Kind.NAMES,
        "Companies, products, agencies, people; each gets a timeline page",
        default=(),
        lost="the note is on no entity's timeline",
    ),
    Field("tags", Kind.NAMES, "Free keywords", default=(), lost="the note has no tags"),
    Field(
        "importance", Kind.INT, "1 (minor) … 5 (major)", default=3, bounds=(1, 5), lost="the note has the default importance, 3"
    ),
    Field("confidence", Kind.CHOICE, "ICD 203 likelihood word", choices=CONFIDENCE, lost="no likelihood is shown"),
    Field(
        "story", Kind.SLUG, "Notes with the same story id are one briefing item", lost="the note is not grouped with its story"
    ),
    Field(
        "draft",
        Kind.BOOL,
        "Drafts show under `mkdocs serve` only",
        default=False,
        lost="the note is published as if it were not a draft",
    ),
)

TOPIC_FIELDS: tuple[Field, ...] = (
    Field("title", Kind.NAME, "The topic's name", required=True),
    Field("description", Kind.TEXT, "One sentence: what the topic covers", required=True),
    Field("entities", Kind.NAMES, "Watch list of entities", default=(), lost="the topic's watch list is empty"),
    Field(
        "order",
        Kind.INT,
        "Position among topics (lowest first)",
        default=100,
        bounds=(-10_000, 10_000),
        lost="the topic takes the default position",
    ),
)

LEDE_FIELDS: tuple[Field, ...] = (
    Field("watch", Kind.TEXTS, "What to watch next: short lines", default=(), lost="the 'what to watch' list is not shown"),
)

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


_TEXT_KINDS = frozenset({Kind.TEXT, Kind.NAME, Kind.LANGUAGE, Kind.SLUG, Kind.CHOICE, Kind.URL})


def _wrong_type(spec: Field, name: str, value: object, raw: str | None = None) -> str:
    message = f"'{name}' must be {_expected(spec)}, found {_type_name(value, raw)}"
    if raw is not None and _quoting_helps(spec, raw):
        message += f'; put it in quotes to keep it as text: "{visible(raw)[:60]}"'
    return message


def _quoting_helps(spec: Field, raw: str) -> bool:
    """Whether ``raw`` in quotes would be a right value: ``reliability: 42`` is not worth quoting."""
    if spec.kind is Kind.CHOICE:
        return raw in {str(choice) for choice in spec.choices}
    if spec.kind in (Kind.SLUG, Kind.SLUGS):
        return bool(_SLUG.match(raw))
    if spec.kind is Kind.LANGUAGE:
        return raw.lower() in CODES
    return spec.kind in _TEXT_KINDS | {Kind.NAMES, Kind.TEXTS}


def _type_name(value: object, raw: str | None = None) -> str:
    """What YAML made of a value, quoting the text as written when YAML changed it (``1.10``, ``no``, ``010``)."""
    if isinstance(value, bool):
        return (
            f"{raw}, which YAML reads as true/false" if raw is not None and raw.lower() not in ("true", "false") else "true/false"
        )
    if isinstance(value, (int, float)):
        if raw is not None and raw != str(value):
            return f"the number {shorten(raw, 30)[1:-1]} (which YAML reads as {value})"
        return f"the number {value}"
    if isinstance(value, (dt.date, InvalidDate)):
        return f"the date {raw}" if raw is not None else "a date"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if value is None:
        return "nothing"
    return f"text {shorten(value)}"


_NOT_IN_TEXT = re.compile(f"[{FORBIDDEN_CLASS}{BIDI_CLASS}]")
_NOT_IN_NAMES = re.compile(f"[{FORBIDDEN_CLASS}{BIDI_CLASS}{INVISIBLE_CLASS}]")
_SUSPECT = coarse(FORBIDDEN_BMP, BIDI_CLASS, INVISIBLE_BMP)


def _character_problem(name: str, text: str, kind: Kind) -> str | None:
    """The message for the first character ``text`` may not carry as a value of ``kind``, or None."""
    if text.isascii() and text.isprintable():  # most values; searching is slower than this test
        return None
    if not _SUSPECT.search(text):
        return None
    bad = (_NOT_IN_TEXT if kind in (Kind.TEXT, Kind.TEXTS) else _NOT_IN_NAMES).search(text)
    if bad is None:
        return None
    return f"'{name}' contains {kind_of(bad[0])} at position {bad.start() + 1}; delete it"


def _nfc(text: str) -> str:
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$")
_WORDS_AND_NUMBERS = re.compile(r"[^\W\d_]+|\d+")


def _day(year: int, month: int, day: int) -> dt.date | None:
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return date if MIN_DATE <= date <= MAX_DATE else None


def suggest_dates(value: object) -> list[dt.date]:
    """The dates an editor probably meant by ``value`` (``20/11/2025``, ``20 November 2025``, ``2025-9-1``).

    Two when the order of day and month cannot be told (``05/06/2025``), none
    when nothing fits.
    """
    text = str(value).strip()
    if (isinstance(value, int) and not isinstance(value, bool)) or re.fullmatch(r"\d{8}", text):
        found = _day(int(text[:4]), int(text[4:6]), int(text[6:8])) if len(text) == 8 else None
        return [found] if found else []
    if numeric := _NUMERIC_DATE.match(text):
        a, b, c = (int(part) for part in numeric.groups())
        if len(numeric[1]) == 4:
            candidates = [_day(a, b, c)]
        elif len(numeric[3]) == 4:
            candidates = [_day(c, b, a), _day(c, a, b)]  # day first (most of the world), then month first (US)
        else:
            return []
        return sorted({d for d in candidates if d is not None})
    parts = _WORDS_AND_NUMBERS.findall(text.lower())
    months = [_MONTHS[p] for p in parts if p in _MONTHS]
    # isdecimal and ASCII: "²" and "٣" are digits to str.isdigit, not to int().
    numbers = [p for p in parts if p.isascii() and p.isdecimal()]
    others = [p for p in parts if p not in numbers and p not in _MONTHS and p not in ("st", "nd", "rd", "th", "of")]
    years = [int(n) for n in numbers if len(n) == 4]
    days = [int(n) for n in numbers if len(n) <= 2]
    if len(months) == 1 and len(years) == 1 and len(days) == 1 and not others:
        found = _day(years[0], months[0], days[0])
        return [found] if found else []
    return []


def _unusable(parts: SplitResult) -> str:
    """Why a URL that has a scheme and a host part cannot be opened, in an editor's words."""
    if not parts.hostname:
        return "it has no host name"
    try:
        parts.port  # noqa: B018 - raises for a port that is not a number from 0 to 65535
    except ValueError:
        return "its port is not a number from 0 to 65535"
    return f"{shorten(parts.hostname)} is not a host name or an IP address"


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
        misspelt: dict[str, str] = {}  # known field -> the unknown key that looks like it
        for key in meta:
            if key in known:
                continue
            shown = visible(key)
            if bad := _character_problem("", key, Kind.NAME):
                self.fail(meta.lines[key], prefix + shown, "the field name '" + prefix + shown + "'" + bad.removeprefix("''"))
            typed = _nfc(key).strip().lower()
            guess = difflib.get_close_matches(typed, list(known), n=1, cutoff=0.6)
            nested = _nested_fields(fields)
            elsewhere = difflib.get_close_matches(typed, list(nested), n=1, cutoff=0.75) if not guess else []
            if guess:
                spec = known[guess[0]]
                misspelt.setdefault(spec.name, key)
                lost = f"'{prefix}{spec.name}' counts as missing" if spec.required else spec.lost or "its value is not used"
                hint = f"; did you mean '{guess[0]}'? Until you fix the key, {lost}"
            elif elsewhere:
                parent, spec = nested[elsewhere[0]]
                lost = spec.lost or "its value is not used"
                hint = f"; did you mean '{spec.name}', indented under '{parent}:'? Until you fix it, {lost}"
            else:
                hint = f"; known fields: {', '.join(known)}"
            self.warn(meta.lines[key], prefix + shown, f"unknown field '{prefix}{shown}'{hint}")
        values: dict[str, Any] = {}
        raws = getattr(meta, "raw", {})
        for spec in fields:
            name = prefix + spec.name
            if spec.name not in meta or meta[spec.name] is None:
                if spec.required and spec.name in meta:  # `name:` with nothing after it: point at that key
                    self.fail(meta.lines[spec.name], name, f"'{name}' is empty; expected {_expected(spec)}")
                elif spec.required:
                    typo = misspelt.get(spec.name)
                    seen = f"; '{visible(typo)}' on line {meta.lines[typo]} looks like a misspelling of it" if typo else ""
                    self.fail(line, name, f"missing required field '{name}' ({_expected(spec)}){seen}")
                values[spec.name] = spec.default
                continue
            values[spec.name] = self.value(spec, name, meta[spec.name], meta.lines[spec.name], raws.get(spec.name))
        return values

    def value(self, spec: Field, name: str, value: Any, line: int, raw: str | None = None) -> Any:
        # Made only for a value of the wrong type: formatting it for every value was a tenth of loading a note.
        wrong = functools.partial(_wrong_type, spec, name, value, raw)
        kind = spec.kind
        if isinstance(value, str) and (bad := _character_problem(name, value, kind)):
            return self.fail(line, name, bad)  # positions as written, before normalising
        if isinstance(value, str) and kind is not Kind.URL:
            value = _nfc(value)
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
                found = _type_name(value, raw)
                quote = f'; put it in quotes: "{raw}"' if raw is not None and _quoting_helps(spec, raw) else ""
                return self.fail(line, name, f"'{name}' must be an ISO 639-1 code such as en, fr, zh, found {found}{quote}")
            if value != value.lower():  # accepted, but the JSON Schema (and ISO) spell codes in lowercase
                self.warn(line, name, f"'{name}' is '{value}'; write ISO 639-1 codes in lowercase: {value.lower()}")
            return value.lower()
        if kind is Kind.SLUG:
            if not isinstance(value, str) or not _SLUG.match(value):
                return self.fail(line, name, lambda: wrong() + _slug_hint(value))
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
            return self.fail(line, name, f"'{name}' is not a real date: {shorten(value.text, 40)[1:-1]} ({value.reason})")
        if isinstance(value, dt.datetime):
            self.warn(line, name, f"'{name}' has a time of day; only the date {value.date()} is used")
            value = value.date()
        elif isinstance(value, str):
            try:
                parsed = dt.date.fromisoformat(value.strip()) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()) else None
            except ValueError:
                parsed = None
            if parsed is None:
                return self.fail(line, name, lambda: wrong() + _date_hint(value))
            self.warn(line, name, f"'{name}' is quoted text; write it unquoted as {parsed.isoformat()}")
            value = parsed
        elif not is_date(value):
            return self.fail(line, name, lambda: wrong() + _date_hint(value))
        if not MIN_DATE <= value <= MAX_DATE:
            return self.fail(
                line,
                name,
                f"'{name}' is {value.isoformat()}, outside {MIN_DATE.isoformat()} … {MAX_DATE.isoformat()}; is the year mistyped?",
            )
        return value  # type: ignore[no-any-return]

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
        if not sanitize.link_survives(url):  # the page would show the source with no link
            return self.fail(
                line, name, f"'{name}' is not an address a browser can open ({_unusable(parts)}), found {shorten(url)}"
            )
        return url

    def strings(self, spec: Field, name: str, value: Any, line: int, wrong: Callable[[], str]) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            return self.fail(line, name, wrong)
        lines = value.lines if isinstance(value, LineList) else [line] * len(value)
        raws: dict[int, str] = getattr(value, "raw", {})
        if spec.required and not value:
            return self.fail(line, name, f"'{name}' is empty; it needs at least one item")
        items: list[str] = []
        item_kind = {Kind.SLUGS: Kind.SLUG, Kind.NAMES: Kind.NAME, Kind.TEXTS: Kind.TEXT}[spec.kind]
        for index, (item, item_line) in enumerate(zip(value, lines, strict=True)):
            item_name = f"{name}[{index}]"
            if not isinstance(item, str) or not item.strip():
                found = _type_name(item, raws.get(index))
                quote = f'; put it in quotes to keep it as text: "{visible(raws[index])[:60]}"' if index in raws else ""
                self.fail(item_line, name, f"'{item_name}' must be a non-empty text, found {found}{quote}")
                continue
            if bad := _character_problem(item_name, item, item_kind):
                self.fail(item_line, name, bad)
                continue
            item = _nfc(item)
            text = " ".join(item.split())
            if spec.kind is Kind.SLUGS and not _SLUG.match(text):
                self.fail(
                    item_line,
                    name,
                    f"'{item_name}' must be a slug of lowercase letters, digits and hyphens, found {shorten(text)}"
                    + _slug_hint(text),
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


@functools.cache
def _nested_fields(fields: tuple[Field, ...]) -> dict[str, tuple[str, Field]]:
    """Fields one level down (``source.reliability``) by name, for a key written at the wrong level."""
    return {
        child.name: (spec.name, child) for spec in fields for child in spec.children if child.name not in {f.name for f in fields}
    }


def _slug_hint(value: object) -> str:
    """``; did you mean ai-chip-self-sufficiency?`` for ``AI chip self-sufficiency``, when a slug can be made of it."""
    if not isinstance(value, str):  # a date or a number: the message already says how to keep it as text
        return ""
    slug = str(slugify(value, max_length=80, word_boundary=True))
    return f"; did you mean {slug}?" if slug and slug != value else ""


def _date_hint(value: object) -> str:
    found = suggest_dates(value)
    if len(found) == 1:
        return f"; did you mean {found[0].isoformat()}?"
    if len(found) == 2:
        return f"; did you mean {found[0].isoformat()} or {found[1].isoformat()}? Write it as YYYY-MM-DD"
    return ""


def check(meta: LineMap, fields: tuple[Field, ...], path: str) -> tuple[dict[str, Any], list[Problem]]:
    """Validate ``meta`` against ``fields``; values that failed come back as ``None``."""
    checker = _Checker(path)
    values = checker.mapping(meta, fields)
    return values, checker.problems


def field(dotted: str, fields: tuple[Field, ...] = NOTE_FIELDS) -> Field:
    """The declaration of ``source.url`` (or any field) by its dotted name."""
    head, _, rest = dotted.partition(".")
    spec = next(f for f in fields if f.name == head)
    return field(rest, spec.children) if rest else spec


def check_value(dotted: str, value: object, fields: tuple[Field, ...] = NOTE_FIELDS) -> list[str]:
    """The error messages for one value of the field ``dotted``, as ``briefing check`` would give them."""
    checker = _Checker("")
    checker.value(field(dotted, fields), dotted, value, 1)
    return [p.message for p in checker.problems if p.severity.value == "error"]


def is_slug(text: str) -> bool:
    return bool(_SLUG.match(text))
