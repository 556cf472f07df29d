"""Split a Markdown file into YAML front matter and body, and load the YAML strictly.

Plain ``yaml.safe_load`` is too lenient for editors' files: it keeps the last of
two duplicate keys (losing data without a word), expands alias bombs, and
forgets line numbers. This loader reports duplicates, refuses aliases and
returns mappings that remember the line of every key.

Before anything is built, one pass over libyaml's events (iterative C code, so
no shape of document can exhaust the stack) refuses what an editor never means
and PyYAML would mishandle: nesting deeper than ``MAX_NESTING`` in any shape,
explicit tags (``!!binary``, ``!!set``, ``!!python/...``), anchors and aliases.
Line numbers are those an editor's editor shows: YAML also breaks lines at
U+0085, U+2028 and U+2029, editors do not.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from generator.characters import FORBIDDEN_BMP, FORBIDDEN_CLASS, coarse, describe, visible
from generator.problems import Problem, error, shorten

try:  # libyaml's parser is several times faster; fall back where it isn't built.
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _BaseLoader = yaml.SafeLoader

MAX_FILE_BYTES = 1_000_000
MAX_FRONT_MATTER_BYTES = 64_000
MAX_NESTING = 20
FENCE = "---"


class LineMap(dict[str, Any]):
    """A YAML mapping that remembers the (1-based, file) line of each key.

    ``raw`` keeps, for a value YAML read as something other than text (a
    number, true/false, nothing), the text as written: ``1.10`` not ``1.1``,
    ``no`` not ``False``, ``010`` not ``8``. Messages quote what the editor typed.
    """

    lines: dict[str, int]
    line: int
    raw: dict[str, str]

    @classmethod
    def empty(cls) -> LineMap:
        mapping = cls()
        mapping.lines, mapping.line, mapping.raw = {}, 1, {}
        return mapping


class LineList(list[Any]):
    """A YAML sequence that remembers the line of each item, and ``raw`` text by index as ``LineMap`` does."""

    lines: list[int]
    line: int
    raw: dict[int, str]


@dataclass(frozen=True)
class InvalidDate:
    """A value that looks like a YAML date but is not a real day (2025-02-30)."""

    text: str
    reason: str


@dataclass
class Document:
    """A file split into its front matter and body."""

    meta: LineMap | None
    body: str
    body_line: int
    problems: list[Problem] = field(default_factory=list)


class _AliasRefused(yaml.YAMLError):
    """Raised at the first alias in a document; ``line`` is that of the anchored value."""

    def __init__(self, line: int) -> None:
        super().__init__(line)
        self.line = line


_ODD_BREAKS = re.compile("[\x85\u2028\u2029]")


class _FileLines:
    """The file line of a YAML mark.

    libyaml counts U+0085, U+2028 and U+2029 as line breaks, editors (and
    ``split``) only ``\\n``; where the text has one of them, lines are counted
    from the mark's character index instead.
    """

    def __init__(self, text: str, offset: int) -> None:
        self.offset = offset
        self.breaks = [m.start() for m in re.finditer("\n", text)] if _ODD_BREAKS.search(text) else None

    def of(self, mark: Any) -> int:
        if self.breaks is None:
            return int(mark.line) + self.offset
        return bisect.bisect_left(self.breaks, int(mark.index)) + self.offset


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that records key lines and duplicates and refuses aliases."""

    def __init__(self, stream: str, path: str, lines: _FileLines) -> None:
        super().__init__(stream)
        self.path = path
        self.file_lines = lines
        self.problems: list[Problem] = []

    def line_of(self, node: yaml.Node) -> int:
        return self.file_lines.of(node.start_mark)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # A node constructed twice is an alias (*name). Aliases have no use in a
        # note and are how "billion laughs" documents blow up, so refuse them,
        # and stop at the first: a bomb would otherwise earn one error per alias.
        if node in self.constructed_objects:
            raise _AliasRefused(self.line_of(node))
        return super().construct_object(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            return InvalidDate(str(node.value), str(exc))


def _raw(node: yaml.Node) -> str | None:
    """The text as written of a scalar YAML read as something other than text."""
    return str(node.value) if isinstance(node, yaml.ScalarNode) and node.tag != _STR else None


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> Iterator[LineMap]:
    mapping = LineMap()
    mapping.lines = {}
    mapping.raw = {}
    mapping.line = loader.line_of(node)
    yield mapping
    for key_node, value_node in node.value:
        line = loader.line_of(key_node)
        if key_node.tag == _MERGE:
            loader.problems.append(
                error(
                    loader.path,
                    line,
                    "<<",
                    "'<<' (YAML's merge key) is not allowed in front matter: write the fields out in full",
                )
            )
            continue
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            raw = _raw(key_node)
            found = f"{raw}, which YAML reads as {_yaml_reading(key)}" if raw is not None else shorten(key)
            loader.problems.append(error(loader.path, line, str(raw or key), f"keys must be words, found {found}"))
            continue
        if key in mapping:
            loader.problems.append(
                error(
                    loader.path,
                    line,
                    key,
                    f"duplicate key '{key}' (first on line {mapping.lines[key]}); YAML would silently keep only this one",
                )
            )
            continue
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.lines[key] = line
        if (raw := _raw(value_node)) is not None:
            mapping.raw[key] = raw


def _construct_sequence(loader: _StrictLoader, node: yaml.SequenceNode) -> Iterator[LineList]:
    items = LineList()
    items.line = loader.line_of(node)
    items.lines = []
    items.raw = {}
    yield items
    for index, child in enumerate(node.value):
        items.append(loader.construct_object(child, deep=True))
        items.lines.append(loader.line_of(child))
        if (raw := _raw(child)) is not None:
            items.raw[index] = raw


def _yaml_reading(value: object) -> str:
    """What YAML made of a plain scalar, in an editor's words."""
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    return "a date"


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# A plain `=` or `<<` resolves to these tags, which SafeLoader cannot build ("could not determine a
# constructor"). As a value, an editor means the text; `<<` as a key is a merge, refused in _construct_mapping.
_VALUE = "tag:yaml.org,2002:value"
_MERGE = "tag:yaml.org,2002:merge"

_StrictLoader.add_constructor(_MAP, _construct_mapping)
_StrictLoader.add_constructor(_SEQ, _construct_sequence)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)
_StrictLoader.add_constructor(_VALUE, _StrictLoader.construct_yaml_str)
_StrictLoader.add_constructor(_MERGE, _StrictLoader.construct_yaml_str)
_PLAIN_SCALARS = {  # tag -> the SafeConstructor method (as the strict loader has it) that builds its value
    "tag:yaml.org,2002:int": _StrictLoader.construct_yaml_int,
    "tag:yaml.org,2002:float": _StrictLoader.construct_yaml_float,
    "tag:yaml.org,2002:bool": _StrictLoader.construct_yaml_bool,
    "tag:yaml.org,2002:null": _StrictLoader.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": _StrictLoader.construct_yaml_timestamp,
    _VALUE: _StrictLoader.construct_yaml_str,
    _MERGE: _StrictLoader.construct_yaml_str,
}


class _Unusual(Exception):
    """The document needs the full constructor: a duplicate, an alias, a non-text key, an unusual tag."""


def _construct_plain(loader: _StrictLoader, root: yaml.Node) -> Any:
    """Build the value of a composed document the way the strict loader would, only faster.

    PyYAML's constructor goes through generators, a per-node registry and a
    method lookup for every node; profiling put it at half of the time spent
    loading notes. Front matter is nearly always text, numbers, dates, lists
    and one nested mapping, so those are built here directly; anything else
    raises ``_Unusual`` and the caller uses the full constructor on the same
    nodes, which reports duplicates, aliases and odd keys as it always has.
    """
    offset, breaks = loader.file_lines.offset, loader.file_lines.breaks
    line_of = (lambda node: node.start_mark.line + offset) if breaks is None else loader.line_of
    seen: set[int] = set()

    def build(node: yaml.Node) -> Any:
        if id(node) in seen:  # an alias: the full constructor refuses it with the right line
            raise _Unusual
        seen.add(id(node))
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _MAP:
            mapping = LineMap()
            mapping.line = line_of(node)
            mapping.lines = lines = {}
            mapping.raw = raws = {}
            for key_node, value_node in node.value:
                if key_node.tag != _STR or key_node.value in mapping or id(key_node) in seen:
                    raise _Unusual
                seen.add(id(key_node))
                key = key_node.value
                mapping[key] = build(value_node)
                lines[key] = line_of(key_node)
                if value_node.tag != _STR and isinstance(value_node, yaml.ScalarNode):
                    raws[key] = value_node.value
            return mapping
        if tag == _SEQ:
            items = LineList(build(child) for child in node.value)
            items.line = line_of(node)
            items.lines = [line_of(child) for child in node.value]
            items.raw = {i: c.value for i, c in enumerate(node.value) if c.tag != _STR and isinstance(c, yaml.ScalarNode)}
            return items
        constructor = _PLAIN_SCALARS.get(tag)
        if constructor is None or not isinstance(node, yaml.ScalarNode):
            raise _Unusual
        return constructor(loader, node)

    return build(root)


# A CR never gets here: read_text and load_yaml make it a newline, the line break editors show. U+2028 and U+2029 are line breaks to YAML but not to an editor,
# which shows one line where YAML reads two: outside quotes they are reported like the control characters
# (U+0085, the other one, is among those); inside quotes YAML keeps them, as characters of the value.
_LINE_SEPARATORS = "\u2028\u2029"
_RAW_CLASS = FORBIDDEN_CLASS.replace("\x0b-\x1f", "\x0b\x0c\x0e-\x1f")
_RAW_FORBIDDEN = re.compile(f"[{_RAW_CLASS}{_LINE_SEPARATORS}]")
_RAW_SUSPECT = coarse(FORBIDDEN_BMP.replace("\x0b-\x1f", "\x0b\x0c\x0e-\x1f"), _LINE_SEPARATORS)
_RAW_SEPARATOR = re.compile(f"[{_LINE_SEPARATORS}]")
_QUOTES = frozenset({"'", '"'})
_KEY_LINE = re.compile(r"^( *)(?:- +)?(?:\"([^\"]*)\"|'([^']*)'|([^\s#:\"'\[\]{},][^:#]*?))[ \t]*:(?:[ \t]|$)")


def _raw_characters(text: str, path: str, line_offset: int) -> tuple[str, list[Problem]]:
    """Report characters YAML and XML cannot carry, and line breaks only YAML sees; the text with each made U+FFFD.

    YAML refuses the first with a message about "special characters", and
    reads U+2028 or U+2029 outside quotes as the end of a line, which shows up
    as an error about a ':' a line further on. These messages name the field
    (the key of that line, or the one the line belongs to) and the character,
    at the line an editor sees it on. A U+2028 or U+2029 inside a quoted value
    is kept: YAML reads it as a character of the value, and the schema makes
    it a space, as it does a line break inside quotes.
    """
    if (text.isascii() and text.isprintable()) or not _RAW_SUSPECT.search(text) or not _RAW_FORBIDDEN.search(text):
        return text, []
    quoted = _quoted_separators(text) if _RAW_SEPARATOR.search(text) else frozenset()
    problems: list[Problem] = []
    keys: list[tuple[int, str]] = []  # (indent, key) of the enclosing mappings
    start = 0  # of the line, in text
    for number, line in enumerate(text.split("\n"), start=line_offset):
        line_start, start = start, start + len(line) + 1
        found = _KEY_LINE.match(line)
        if found:
            indent, key = len(found[1]), found[2] or found[3] or found[4] or ""
            keys = [(i, k) for i, k in keys if i < indent] + [(indent, key)]
        elif line.strip() and not line.startswith(" "):
            keys = []
        bad = next((m for m in _RAW_FORBIDDEN.finditer(line) if line_start + m.start() not in quoted), None)
        if bad is None:
            continue
        name = visible(".".join(k for _, k in keys))
        if not name:
            where = "front matter contains"
        elif found is not None and bad.start() < found.end():
            where = f"the key {shorten(name)} contains"
        else:
            where = f"{shorten(name)} contains"
        char, column = bad[0], bad.start() + 1
        if char in _LINE_SEPARATORS:
            message = (
                f"{where} an invisible line break {describe(char)} at column {column}: "
                "YAML ends the line there, an editor shows none; delete it"
            )
        else:
            message = f"{where} a control character {describe(char)} at column {column}; delete it"
        problems.append(error(path, number, name, message))
    if quoted:
        return _RAW_FORBIDDEN.sub(lambda m: m[0] if m.start() in quoted else "\ufffd", text), problems
    return _RAW_FORBIDDEN.sub("\ufffd", text), problems


def _quoted_separators(text: str) -> frozenset[int]:
    """The indexes of the U+2028 and U+2029 in ``text`` that are inside a quoted value (not a key).

    Found in the text as an editor sees it: every character the raw check
    refuses made one that breaks no line, so that the values are where the
    editor sees them. Past a syntax error nothing is known, so nothing there
    is kept.
    """
    separators = [m.start() for m in _RAW_SEPARATOR.finditer(text)]
    kept: list[int] = []
    scanner = _BaseLoader(_RAW_FORBIDDEN.sub("\ufffd", text))
    is_key = False
    try:
        while (token := scanner.get_token()) is not None:  # type: ignore[no-untyped-call]
            if type(token) is yaml.ScalarToken and token.style in _QUOTES and not is_key:
                first = bisect.bisect_left(separators, token.start_mark.index)
                kept += separators[first : bisect.bisect_left(separators, token.end_mark.index)]
            is_key = type(token) is yaml.KeyToken
    except yaml.YAMLError:
        pass
    finally:
        scanner.dispose()
    return frozenset(kept)


def _too_deep(text: str, path: str, lines: _FileLines, mark: Any, depth: int | None) -> Problem:
    """Nesting deeper than ``MAX_NESTING``, reported at the key of the field that holds it.

    ``mark`` is where the level too many begins (or where libyaml met its own
    limit, ``depth`` None), which the message gives; the problem's line is
    that of the field's key, or that of ``mark`` when no key holds it.
    """
    field, key_line = _deep_field(text, lines)
    level_line = lines.of(mark) if mark is not None else None
    where = f" (line {level_line} is at level {depth or 'over 1000'})" if level_line is not None else ""
    within = f" in '{field}'" if field else ""
    line = key_line or level_line or lines.offset
    return error(
        path, line, field, f"front matter is nested more than {MAX_NESTING} levels deep{within}{where}; a note needs at most 2"
    )


def _deep_field(text: str, lines: _FileLines) -> tuple[str, int | None]:
    """The field (a key of the top mapping) whose value is nested too deep, and the line of that key.

    A second pass over the events, made only for the error: the first one,
    which every note goes through, keeps no keys.
    """
    frames: list[list[Any]] = []  # per open collection: [is a mapping, nodes in it so far, last key, its line]
    parser = _BaseLoader(text)
    try:
        while (event := parser.get_event()) is not None:  # type: ignore[no-untyped-call]
            kind = type(event)
            if kind in _CLOSES:
                frames.pop()
                continue
            if kind not in _OPENS and kind is not yaml.ScalarEvent and kind is not yaml.AliasEvent:
                continue  # stream and document events
            if frames and frames[-1][0]:
                frame = frames[-1]
                if frame[1] % 2 == 0:  # a key: a word, or something no field is named by
                    frame[2] = str(event.value) if kind is yaml.ScalarEvent else None
                    frame[3] = lines.of(event.start_mark)
                frame[1] += 1
            if kind in _OPENS:
                frames.append([kind is yaml.MappingStartEvent, 0, None, 0])
                if len(frames) > MAX_NESTING:
                    break
    except yaml.YAMLError:
        pass  # libyaml's own limit, met while scanning ahead: the key read last leads to it
    finally:
        parser.dispose()
    if not frames or not frames[0][0] or frames[0][2] is None:
        return "", None
    _, count, key, line = frames[0]
    # Inside the value of the top mapping's last key: in its last node if a collection holds the rest,
    # else in the value being read after the key.
    if count % 2 != (0 if len(frames) > 1 else 1):
        return "", None
    return shorten(key)[1:-1], line


_OPENS = frozenset({yaml.MappingStartEvent, yaml.SequenceStartEvent})
_CLOSES = frozenset({yaml.MappingEndEvent, yaml.SequenceEndEvent})


def _events_problem(text: str, path: str, lines: _FileLines) -> Problem | None:
    """One pass over libyaml's events: nesting depth, explicit tags, anchors and aliases, before anything is built.

    Written for speed (it sees every event of every note): no tag, anchor or
    alias can be there without a '!', '&' or '*' in the text.
    """
    marked = "!" in text or "&" in text or "*" in text
    parser = _BaseLoader(text)
    get_event = parser.get_event
    scalar = yaml.ScalarEvent
    depth = 0
    try:
        while (event := get_event()) is not None:  # type: ignore[no-untyped-call]
            kind = type(event)
            if kind is not scalar:
                if kind in _OPENS:
                    depth += 1
                    if depth > MAX_NESTING:
                        return _too_deep(text, path, lines, event.start_mark, depth)
                elif kind in _CLOSES:
                    depth -= 1
                    continue
                elif kind is yaml.AliasEvent:
                    return _anchor_problem(path, lines, event)
                else:
                    continue  # stream and document events
            if marked and event.anchor is not None:
                return _anchor_problem(path, lines, event)
            if marked and event.tag is not None:
                tag = str(event.tag)
                written = "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag
                return error(
                    path,
                    lines.of(event.start_mark),
                    "",
                    f"explicit YAML tags like !!set are not allowed in front matter, found {shorten(written, 60)[1:-1]}: "
                    "remove it, and put the value in quotes if it is text",
                )
    finally:
        parser.dispose()
    return None


def _anchor_problem(path: str, lines: _FileLines, event: Any) -> Problem:
    return error(path, lines.of(event.start_mark), "", "YAML anchors and aliases (&name, *name) are not allowed in front matter")


def load_yaml(text: str, path: str, line_offset: int = 1) -> tuple[Any, list[Problem]]:
    """Load one YAML document strictly; ``line_offset`` is the file line of its first line."""
    if len(text) > MAX_FRONT_MATTER_BYTES // 4 and len(text.encode("utf-8", "surrogatepass")) > MAX_FRONT_MATTER_BYTES:
        return None, [error(path, line_offset, "", f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1000} kB")]
    if "\r" in text:  # read_text makes every CR a line break, as editors show it; the same for text given here
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text, problems = _raw_characters(text, path, line_offset)
    lines = _FileLines(text, line_offset)
    loader: _StrictLoader | None = None
    try:
        refused = _events_problem(text, path, lines)
        if refused is not None:
            return None, [*problems, refused]
        loader = _StrictLoader(text, path, lines)
        node = loader.get_single_node()  # libyaml parses and composes; constructing is ours
        try:
            value = None if node is None else _construct_plain(loader, node)
        except _Unusual:
            value = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "not valid YAML"
        if "maximum nesting depth" in reason:  # libyaml's own limit, met while scanning ahead of the events
            return None, [*problems, _too_deep(text, path, lines, mark, None)]
        if (explained := _explained(exc, text, path, lines)) is not None:
            return None, [*problems, explained]
        line = lines.of(mark) if mark else line_offset
        return None, [*problems, error(path, line, "", f"front matter is not valid YAML: {shorten(reason, 200)[1:-1]}")]
    except _AliasRefused as exc:
        return None, [
            *problems,
            error(path, exc.line, "", "YAML anchors and aliases (&name, *name) are not allowed in front matter"),
        ]
    except yaml.YAMLError as exc:
        return None, [*problems, error(path, line_offset, "", f"front matter is not valid YAML: {shorten(str(exc))}")]
    finally:
        if loader is not None:
            loader.dispose()
    return value, problems + loader.problems


def _key_and_value(source: list[str], index: int) -> tuple[str, str]:
    """The key of line ``index`` of ``source`` and the text after it; ("", "") for a line with no key."""
    line = source[index] if index < len(source) else ""
    found = _KEY_LINE.match(line)
    if not found:
        return "", ""
    return (found[2] or found[3] or found[4] or "").strip(), line[found.end() :].strip()


def _explained(exc: yaml.MarkedYAMLError, text: str, path: str, lines: _FileLines) -> Problem | None:
    """The two YAML errors editors meet most, in their words, at the line they made them on; None for others.

    - ``title: Baidu: the M200``: a colon and a space inside an unquoted value start a second key, and
      YAML says "mapping values are not allowed here";
    - ``title: "Baidu unveils`` with no closing quote: YAML reads on to the end of the front matter and
      reports the line where it gave up.
    """
    source = text.split("\n")
    if exc.problem and "mapping values are not allowed" in exc.problem and exc.problem_mark is not None:
        key, value = _key_and_value(source, exc.problem_mark.line)
        if key and ": " in value:
            quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            return error(
                path,
                lines.of(exc.problem_mark),
                key,
                f"'{key}' has ': ' inside its value, which YAML reads as the start of another key; "
                f"put the value in quotes: {key}: {shorten(quoted, 120)[1:-1]}",
            )
    if exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
        key, _ = _key_and_value(source, exc.context_mark.line)
        opened = source[exc.context_mark.line][exc.context_mark.column : exc.context_mark.column + 1] or '"'
        where = f"'{key}' opens" if key else "this line opens"
        return error(
            path,
            lines.of(exc.context_mark),
            key,
            f"{where} a quoted value with {opened} that is never closed; end the value with {opened}",
        )
    return None


def too_large(size: int, path: str) -> Problem:
    return error(
        path, 1, "", f"file is {size / 1_000_000:.1f} MB; a note or topic may be at most {MAX_FILE_BYTES // 1_000_000} MB"
    )


def read_text(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Decode a file's bytes as UTF-8 (a BOM is allowed), refusing oversized files."""
    if len(raw) > MAX_FILE_BYTES:
        return None, [too_large(len(raw), path)]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [error(path, line, "", f"file is not UTF-8: undecodable byte 0x{raw[exc.start]:02x} at offset {exc.start}")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def split(text: str, path: str) -> Document:
    """Split ``---`` fenced front matter from the body; the meta must be a YAML mapping."""
    if not text.strip():
        return Document(None, "", 1, [error(path, 1, "", "file is empty; expected YAML front matter between '---' lines")])
    lines = text.split("\n")
    if lines[0].rstrip() != FENCE:
        return Document(None, text, 1, [error(path, 1, "", "no front matter: the file must start with a '---' line")])
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in (FENCE, "..."))
    except StopIteration:
        return Document(None, text, 1, [error(path, 1, "", "front matter is not closed: add a '---' line after it")])
    meta, problems = load_yaml("\n".join(lines[1:end]), path, line_offset=2)
    body = "\n".join(lines[end + 1 :])
    if meta is None and not problems:
        problems = [error(path, 1, "", "front matter is empty; expected a mapping of fields")]
    elif meta is not None and not isinstance(meta, LineMap):
        problems.append(error(path, 2, "", f"front matter must be a mapping of fields (key: value lines), found {_kind(meta)}"))
        meta = None
    return Document(meta, body, end + 2, problems)


def _kind(value: object) -> str:
    """What an editor wrote, in their words rather than Python's (not ``LineList``)."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text {shorten(value)}"
    return f"a single value {shorten(value)}"


def is_date(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)
