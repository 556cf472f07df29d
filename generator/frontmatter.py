"""Split a Markdown file into YAML front matter and body, and load the YAML strictly.

Plain ``yaml.safe_load`` is too lenient for editors' files: it keeps the last of
two duplicate keys (losing data without a word), expands alias bombs, and
forgets line numbers. This loader reports duplicates, refuses aliases and
returns mappings that remember the line of every key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

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
    """A YAML mapping that remembers the (1-based, file) line of each key."""

    lines: dict[str, int]
    line: int

    @classmethod
    def empty(cls) -> LineMap:
        mapping = cls()
        mapping.lines, mapping.line = {}, 1
        return mapping


class LineList(list[Any]):
    """A YAML sequence that remembers the line of each item."""

    lines: list[int]
    line: int


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


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that records key lines and duplicates and refuses aliases."""

    def __init__(self, stream: str, path: str, line_offset: int) -> None:
        super().__init__(stream)
        self.path = path
        self.line_offset = line_offset
        self.problems: list[Problem] = []

    def line_of(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + self.line_offset

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


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> Iterator[LineMap]:
    mapping = LineMap()
    mapping.lines = {}
    mapping.line = loader.line_of(node)
    yield mapping
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = loader.line_of(key_node)
        if not isinstance(key, str):
            loader.problems.append(error(loader.path, line, str(key), f"keys must be words, found {shorten(key)}"))
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


def _construct_sequence(loader: _StrictLoader, node: yaml.SequenceNode) -> Iterator[LineList]:
    items = LineList()
    items.line = loader.line_of(node)
    items.lines = []
    yield items
    for child in node.value:
        items.append(loader.construct_object(child, deep=True))
        items.lines.append(loader.line_of(child))


_StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_StrictLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _StrictLoader.construct_yaml_timestamp)


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_PLAIN_SCALARS = {  # tag -> the SafeConstructor method (as the strict loader has it) that builds its value
    "tag:yaml.org,2002:int": _StrictLoader.construct_yaml_int,
    "tag:yaml.org,2002:float": _StrictLoader.construct_yaml_float,
    "tag:yaml.org,2002:bool": _StrictLoader.construct_yaml_bool,
    "tag:yaml.org,2002:null": _StrictLoader.construct_yaml_null,
    "tag:yaml.org,2002:timestamp": _StrictLoader.construct_yaml_timestamp,
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
    offset = loader.line_offset
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
            mapping.line = node.start_mark.line + offset
            mapping.lines = lines = {}
            for key_node, value_node in node.value:
                if key_node.tag != _STR or key_node.value in mapping or id(key_node) in seen:
                    raise _Unusual
                seen.add(id(key_node))
                key = key_node.value
                mapping[key] = build(value_node)
                lines[key] = key_node.start_mark.line + offset
            return mapping
        if tag == _SEQ:
            items = LineList(build(child) for child in node.value)
            items.line = node.start_mark.line + offset
            items.lines = [child.start_mark.line + offset for child in node.value]
            return items
        constructor = _PLAIN_SCALARS.get(tag)
        if constructor is None or not isinstance(node, yaml.ScalarNode):
            raise _Unusual
        return constructor(loader, node)

    return build(root)


def _nesting_depth(text: str) -> int:
    """Upper bound of flow nesting, checked before parsing: deep [[[...]]] would exhaust the stack."""
    brackets = text.count("[") + text.count("{")
    if brackets <= MAX_NESTING:
        return brackets  # too few to nest too deep: no need to walk every character
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


def _indent_depth(text: str) -> int:
    indents = {len(line) - len(line.lstrip(" ")) for line in text.splitlines() if line.strip()}
    return len(indents)


def load_yaml(text: str, path: str, line_offset: int = 1) -> tuple[Any, list[Problem]]:
    """Load one YAML document strictly; ``line_offset`` is the file line of its first line."""
    if len(text) > MAX_FRONT_MATTER_BYTES // 4 and len(text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        return None, [error(path, line_offset, "", f"front matter is larger than {MAX_FRONT_MATTER_BYTES // 1000} kB")]
    if max(_nesting_depth(text), _indent_depth(text)) > MAX_NESTING:
        return None, [error(path, line_offset, "", f"front matter is nested more than {MAX_NESTING} levels deep")]
    loader = _StrictLoader(text, path, line_offset)
    try:
        node = loader.get_single_node()  # libyaml parses and composes; constructing is ours
        try:
            value = None if node is None else _construct_plain(loader, node)
        except _Unusual:
            value = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = line_offset + (mark.line if mark else 0)
        reason = exc.problem or exc.context or "not valid YAML"
        return None, [error(path, line, "", f"front matter is not valid YAML: {reason}")]
    except _AliasRefused as exc:
        return None, [error(path, exc.line, "", "YAML anchors and aliases (&name, *name) are not allowed in front matter")]
    except yaml.YAMLError as exc:
        return None, [error(path, line_offset, "", f"front matter is not valid YAML: {shorten(str(exc))}")]
    finally:
        loader.dispose()
    return value, loader.problems


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
