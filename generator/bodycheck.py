"""A fast check of editor Markdown (note bodies, ledes, topic intros) before Python-Markdown sees it.

Python-Markdown 3.x is quadratic or recursive on some inputs, and the 1 MB
file limit does not bound its time: a 24 kB body of ``[`` takes a build about
80 seconds, and a few hundred nested list levels end it with ``RecursionError``.
:func:`body_problems` looks at a body in linear time and refuses the shapes
that were measured to be slow or deep (``tests/test_bodycheck.py`` has one case
per shape), so that what ``briefing check`` accepts converts in a bounded time
(the biggest accepted body of each shape in well under a second):

- **size**: at most ``MAX_BODY_CHARS`` characters;
- **nesting**: at most ``MAX_DEPTH`` list, quote, admonition or footnote levels
  on a line (four columns of indentation, or one ``>``/``-``/``1.`` marker,
  each), HTML elements at most ``MAX_HTML_DEPTH`` deep (``md_in_html``
  recurses into them);
- **counts**: at most ``MAX_DEFINITIONS`` definition-list lines (each one
  recurses), ``MAX_ABBREVIATIONS`` abbreviations and
  ``MAX_FOOTNOTE_REFERENCES`` references to one footnote (each compared with
  all the others);
- **work**: at most ``WORK_BUDGET`` units, about a microsecond of conversion
  each at worst, added up from Python-Markdown's slow paths:

  - every ``[`` (links, images, footnotes, references) scans to its ``]``, and
    every ``](`` to its ``)``, or to the end of the paragraph (of the list
    item) when there is none; code spans and escapes do not count, as in
    Python-Markdown;
  - every ``<`` that could start a tag scans to the next ``>`` (``<![`` to the
    next ``]]>``);
  - every heading, rule, setext underline, admonition, abbreviation or
    definition line copies the rest of its paragraph;
  - every abbreviation is searched for in the whole text;
  - every table cell costs about 40 µs.

Characters XML cannot carry (``characters.FORBIDDEN``) and bidi controls are
not refused but deleted by :func:`clean_body`, with a warning here: check and
build agree only if the core calls both on every body it converts.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from generator.characters import BIDI_CLASS, BIDI_CONTROLS, FORBIDDEN_CLASS, describe, visible
from generator.problems import Problem, error, warning

MAX_BODY_CHARS = 100_000
MAX_DEPTH = 20
MAX_HTML_DEPTH = 30
MAX_DEFINITIONS = 100
MAX_ABBREVIATIONS = 100
MAX_FOOTNOTE_REFERENCES = 100
WORK_BUDGET = 300_000  # one unit is about a microsecond of Python-Markdown's time at worst
MAX_CHARACTER_WARNINGS = 10
FIELD = "body"

_DELETED = re.compile(f"[{FORBIDDEN_CLASS}{BIDI_CLASS}]")
_RUN_BREAK = re.compile(r"\n(?:[ \t]*\n)+")  # Python-Markdown's paragraph break: lines of nothing but blanks
_PREFIX = re.compile(r"(?:[ \t]+|>|(?:[-*+]|\d{1,9}[.)])(?=[ \t]|$))*")
CODE_SPAN = re.compile(r"(?<!\\)(`+)(.+?)(?<!`)\1(?!`)", re.DOTALL)  # Python-Markdown's, which runs before links
_ESCAPED = re.compile(r"\\.", re.DOTALL)
_LINK_CHARS = re.compile(r"[\[\]()]")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]", re.MULTILINE)
_TAG_START = re.compile(r"\\.|<(?:!\[|[A-Za-z/!?])", re.DOTALL)
_REUSED = re.compile(
    r"^[ \t]*(?:"
    r"#"  # ATX heading
    r"|=+[ \t]*$"  # setext underline
    r"|([-*_])(?:[ \t]*\1){2,}[ \t]*$"  # horizontal rule, setext underline with ---
    r"|!!!|\?\?\?"  # admonition
    r"|\*\["  # abbreviation
    r"|:[ \t]"  # definition
    r")",
    re.MULTILINE,
)
_DEFINITION = re.compile(r"^[ \t]*:[ \t]", re.MULTILINE)
_ABBREVIATION = re.compile(r"^[ \t]*\*\[", re.MULTILINE)
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\n]{1,200})\]")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
VOID_TAGS = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"])


def clean_body(text: str) -> str:
    """``text`` without the characters :func:`body_problems` warns about (XML-forbidden and bidi controls)."""
    return _DELETED.sub("", text) if _DELETED.search(text) else text


def body_problems(text: str, path: str, first_line: int) -> list[Problem]:
    """Problems of an editor's Markdown ``text`` whose first line is line ``first_line`` of ``path``.

    Linear in the length of ``text``. Errors for what would make the build slow
    or crash, warnings for characters :func:`clean_body` deletes.
    """
    problems = _character_warnings(text, path, first_line)
    if len(text) > MAX_BODY_CHARS:
        problems.append(
            error(
                path,
                first_line,
                FIELD,
                f"the text is {len(text):,} characters long; at most {MAX_BODY_CHARS:,}: "
                "split it into several notes, or link to the source instead of copying it",
            )
        )
        return problems
    problems += _nesting_problems(text, path, first_line)
    problems += _work_problems(text, path, first_line)
    return problems


def _line_at(text: str, index: int, first_line: int) -> int:
    return first_line + text.count("\n", 0, index)


def _character_warnings(text: str, path: str, first_line: int) -> list[Problem]:
    if not _DELETED.search(text):
        return []
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        found = _DELETED.search(line)
        if found is None:
            continue
        if len(problems) == MAX_CHARACTER_WARNINGS:
            problems.append(warning(path, number, FIELD, "and more such characters after this line; they are deleted too"))
            break
        char = found[0]
        what = "a bidi control, which reorders the text after it," if BIDI_CONTROLS.match(char) else "a control character"
        count = len(_DELETED.findall(line))
        more = f" (and {count - 1} more on this line)" if count > 1 else ""
        problems.append(
            warning(
                path,
                number,
                FIELD,
                f"the text has {what} {describe(char)} at column {found.start() + 1}{more}; "
                "it is left out of the page: delete it",
            )
        )
    return problems


def _nesting_problems(text: str, path: str, first_line: int) -> list[Problem]:
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        prefix = _PREFIX.match(line)
        assert prefix is not None  # the pattern matches the empty string
        marks = prefix[0]
        if len(marks) < 4:
            continue  # too short to nest deep
        # Four columns of indentation, or one marker, per level: an upper bound of Python-Markdown's nesting.
        blanks = marks.count(" ") + 4 * marks.count("\t")
        markers = sum(marks.count(mark) for mark in ">-*+.)")
        depth = blanks // 4 + markers
        if depth > MAX_DEPTH:
            problems.append(
                error(
                    path,
                    number,
                    FIELD,
                    f"this line is nested about {depth} levels deep (lists, quotes or indentation); "
                    f"at most {MAX_DEPTH}: indent it less",
                )
            )
            break  # one line says it; the next ones are usually the same
    for pattern, limit, what, instead in (
        (_DEFINITION, MAX_DEFINITIONS, "definition-list lines (starting with ':')", "write the others as a list or a table"),
        (_ABBREVIATION, MAX_ABBREVIATIONS, "abbreviations (lines starting with '*[')", "spell the others out"),
    ):
        found = [m.start() for m in pattern.finditer(text)]
        if len(found) > limit:
            problems.append(
                error(
                    path,
                    _line_at(text, found[limit], first_line),
                    FIELD,
                    f"the text has {len(found)} {what}; at most {limit}, each one slows Markdown down: {instead}",
                )
            )
    refs = Counter(m[1] for m in _FOOTNOTE_REF.finditer(text))
    if refs and (most := refs.most_common(1)[0])[1] > MAX_FOOTNOTE_REFERENCES:
        label, count = most
        problems.append(
            error(
                path,
                _line_at(text, text.find(f"[^{label}]"), first_line),
                FIELD,
                f"footnote [^{visible(label[:20])}] is referred to {count} times; at most {MAX_FOOTNOTE_REFERENCES} "
                "(Markdown compares every reference with all the others): make more footnotes",
            )
        )
    stack: list[str] = []
    for tag in _TAG.finditer(text):
        closing, name, rest = tag[1], tag[2].lower(), tag[3]
        if closing:
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name) :]
            continue
        if name in VOID_TAGS or rest.rstrip().endswith("/"):
            continue
        stack.append(name)
        if len(stack) > MAX_HTML_DEPTH:
            problems.append(
                error(
                    path,
                    _line_at(text, tag.start(), first_line),
                    FIELD,
                    f"HTML elements are nested more than {MAX_HTML_DEPTH} deep here (every <{name}> needs its </{name}>); "
                    "close them or nest them less",
                )
            )
            break
    return problems


def _runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every run of lines between blank lines."""
    breaks = list(_RUN_BREAK.finditer(text))
    return list(zip([0, *(m.end() for m in breaks)], [*(m.start() for m in breaks), len(text)], strict=True))


def _units(text: str) -> list[tuple[int, int]]:
    """(start, end) of the stretches Python-Markdown processes inline as one: paragraphs, or a list's items."""
    units: list[tuple[int, int]] = []
    for start, end in _runs(text):
        starts = [m.start() for m in _LIST_ITEM.finditer(text, start, end)]
        if starts and starts[0] == start:  # a list: each item is converted on its own
            units += list(zip(starts, [*starts[1:], end], strict=True))
        else:  # a list cannot interrupt a paragraph: it is all one
            units.append((start, end))
    return units


def _link_work(unit: str) -> int:
    """What Python-Markdown's link patterns do in ``unit``: from every '[' to its ']', from every '](' to its ')'.

    An unclosed one is scanned to the end of the unit. Code spans and escaped
    characters are taken out first, as Python-Markdown does.
    """
    if "[" not in unit:
        return 0
    masked = CODE_SPAN.sub(lambda m: " " * len(m[0]), unit) if "`" in unit else unit
    masked = _ESCAPED.sub("  ", masked) if "\\" in masked else masked
    work = 0
    brackets: list[int] = []
    parens: list[tuple[int, bool]] = []
    for found in _LINK_CHARS.finditer(masked):
        char, at = found[0], found.start()
        if char == "[":
            brackets.append(at)
        elif char == "]":
            if brackets:
                work += at - brackets.pop()
        elif char == "(":
            parens.append((at, at > 0 and masked[at - 1] == "]"))
        elif parens:
            opened, after_link = parens.pop()
            work += at - opened if after_link else 0
    end = len(masked)
    return work + sum(end - at for at in brackets) + sum(end - at for at, after_link in parens if after_link)


def _work_problems(text: str, path: str, first_line: int) -> list[Problem]:
    """Add up the work of Python-Markdown's slow paths; one error naming the worst place when too much."""
    costs: Counter[tuple[str, int]] = Counter()  # (what, where: a paragraph's or a character's index) -> work
    for start, end in _units(text):
        costs["[", start] += _link_work(text[start:end])
    for start, end in _runs(text):
        for found in _REUSED.finditer(text, start, end):
            costs["line", start] += (end - found.start()) // 15  # measured: about 15 times cheaper than a '['
        costs["|", start] += 40 * text.count("|", start, end)  # a table cell: linear, but about 40 µs each
    closers = [m.start() for m in re.finditer(">", text)]
    first_tag = -1
    cdata_ends = [m.start() for m in re.finditer(re.escape("]]>"), text)]
    for found in _TAG_START.finditer(text):
        if found[0][0] != "<":
            continue
        if found[0] == "<![":
            after = bisect.bisect_left(cdata_ends, found.start())
            end = cdata_ends[after] if after < len(cdata_ends) else len(text)
            costs["<![", found.start()] += 2 * (end - found.start()) // 5
        else:
            first_tag = found.start() if first_tag < 0 else first_tag
            after = bisect.bisect_left(closers, found.start())
            end = closers[after] if after < len(closers) else len(text)
            costs["<", first_tag] += (end - found.start()) // 4
    abbreviations = len(_ABBREVIATION.findall(text))
    costs["*[", 0] += abbreviations * len(text) // 100  # every abbreviation is looked for in all the text
    total = sum(costs.values())
    if total <= WORK_BUDGET:
        return []
    (kind, where), _ = costs.most_common(1)[0]
    if kind == "[":
        advice = (
            "the paragraph starting on this line has too many '[' for its length: Markdown looks for the end of "
            "a link at every '['. Write \\[ for a bracket that does not start a link, or break the paragraph up "
            "with blank lines"
        )
    elif kind == "line":
        advice = (
            "the paragraph starting on this line has too many headings, rules, admonitions, abbreviations or "
            "definitions with no blank line between them: put a blank line after each"
        )
    elif kind == "*[":
        advice = "every abbreviation (a line '*[ABBR]: ...') is looked for in all the text: define fewer"
    elif kind == "|":
        advice = "the table starting on this line is too big for one page: split it, or link to the data instead"
    elif kind == "<![":
        advice = "'<![' starts a CDATA section that is never closed with ']]>': write &lt;![ or close it"
    else:
        advice = "too many '<' are never closed by a '>': write &lt; for a '<' that does not start an HTML tag"
    return [error(path, _line_at(text, where, first_line), FIELD, f"this text would take Markdown too long to convert: {advice}")]
