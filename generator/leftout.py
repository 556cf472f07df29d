"""What the sanitiser will leave out of an editor's fragment, said as warnings at their lines.

``generator.sanitize`` removes from every fragment an editor wrote what could
act on the page, the reader or a third party: tags other than formatting
(``<script>``, ``<iframe>``, ``<form>`` …), attributes other than a few
(``onerror``, ``style`` …), and links a browser would run or cannot open
(``javascript:``, ``data:``, a port past 65535). The reader is safe either way;
but the editor meant that text, and SPEC §6 says nothing is dropped silently
(Hugo warns alike when it omits raw HTML). So ``briefing check`` and every
build warn about each of them, naming the tag, attribute or link at its line;
a strict build fails, as for every warning. With ``allow_raw_html`` nothing is
left out and nothing is said.

Only what the editor wrote is looked at: the raw HTML Python-Markdown sets
aside as written (code spans and blocks are escaped text, never among it),
and the links of the converted HTML. Converting costs, so a fragment is
converted only when a cheap look at its Markdown finds a tag or a link that is
not plainly kept; most notes have neither.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

from generator import markup, sanitize
from generator.bodycheck import VOID_TAGS
from generator.problems import Problem, shorten, warning

FIELD = "body"
MAX_WARNINGS = 10  # per fragment; then one "and more"
# Tags whose content the sanitiser removes along with them (nh3's default clean_content_tags).
CONTENT_REMOVED = frozenset({"script", "style"})

_TAG_START = re.compile(r"<[A-Za-z]")
# A link target the sanitiser certainly keeps: relative, or http(s)/mailto with an ordinary host name and port.
_PLAINLY_KEPT = re.compile(
    r"(?![A-Za-z][A-Za-z0-9+.-]*:)[^\\\s&]*"  # no scheme (an entity could hide one): relative
    r"|https?://(?![0-9.]+(?:[:/?#]|$))[A-Za-z0-9.-]+(?::[0-9]{1,4})?(?:[/?#][^\\\s]*)?"
    r"|mailto:[^\\\s]+",
    re.IGNORECASE,
)


class _StartTags(HTMLParser):
    """Every start tag of an HTML fragment: name, attributes (values unescaped, as a browser reads them), line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]], int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs, self.getpos()[0]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _start_tags(fragment: str) -> list[tuple[str, list[tuple[str, str | None]], int]]:
    parser = _StartTags()
    parser.feed(fragment)
    parser.close()
    return parser.found


def _needs_a_look(text: str) -> bool:
    """Whether ``text`` may hold something the sanitiser removes: a tag, or a link not plainly kept."""
    if _TAG_START.search(text):
        return True
    if "](" not in text and "]:" not in text:
        return False
    return any(not _PLAINLY_KEPT.fullmatch(target) for target, _at in markup.link_targets(text))


def left_out(text: str, path: str, first_line: int, extensions: Iterable[Any]) -> list[Problem]:
    """A warning for each tag, attribute or link of ``text`` that the sanitiser will leave out of the page.

    ``text`` is an editor's Markdown whose first line is line ``first_line``
    of ``path``; ``extensions`` are the site's, with which the build converts it.
    """
    if not _needs_a_look(text):
        return []
    converted, raw_parts = markup.convert_unsanitised(text, extensions=extensions)
    found: dict[tuple[int, str], None] = {}  # in the order found, each once
    taken: set[int] = set()
    said: set[tuple[str, str | None]] = set()  # links of raw HTML, judged with their tags
    for part in raw_parts:
        start = _position(text, part.rstrip("\n"), taken)
        if start is None:
            continue  # HTML an extension wrote (highlighted code), not the editor's
        line = first_line + text.count("\n", 0, start)
        for tag, attributes, offset in _start_tags(part):
            for message in _tag_problems(tag, attributes):
                found[(line + offset - 1, message)] = None
            said.update((tag, value) for name, value in attributes if name in ("href", "src"))
    # Markdown's links and images, each at the line of its target as written (with its entities).
    dropped = {
        (tag, value)
        for tag, attributes, _offset in _start_tags(converted)
        for name, value in attributes
        if name in ("href", "src") and value and not sanitize.link_survives(value)
    }
    targets = [(html.unescape(target.strip("<>")), at) for target, at in markup.link_targets(text)]
    for tag, value in sorted(dropped - said):
        at = next((at for target, at in targets if target and value.startswith(target)), None)
        line = first_line + text.count("\n", 0, at) if at is not None else first_line
        found[(line, _link_message(tag, value))] = None
    return _capped(path, sorted(found, key=lambda key: key[0]))


def _position(text: str, part: str, taken: set[int]) -> int | None:
    """Where ``part`` starts in ``text``, at a place no earlier part took; None when it is not there as written."""
    if not part:
        return None
    start = text.find(part)
    while start in taken:
        start = text.find(part, start + 1)
    if start < 0:
        return None
    taken.add(start)
    return start


def _tag_problems(tag: str, attributes: list[tuple[str, str | None]]) -> list[str]:
    shown = shorten(tag)[1:-1]
    if tag not in sanitize.ALLOWED_TAGS:
        if tag in CONTENT_REMOVED:
            why = "a note cannot run scripts" if tag == "script" else "a note cannot restyle the site"
            return [
                f"raw HTML <{shown}> is left out of the page with everything in it: {why}; remove it "
                "(or turn on the briefing plugin's allow_raw_html if every editor is trusted)"
            ]
        stays = "" if tag in VOID_TAGS else " (its text stays)"
        return [
            f"raw HTML <{shown}> is left out of the page{stays}: a note may use formatting tags only "
            "(SECURITY.md lists them); remove it, and link to the original for anything embedded"
        ]
    allowed = sanitize.ALLOWED_ATTRIBUTES["*"] | sanitize.ALLOWED_ATTRIBUTES.get(tag, frozenset())
    problems = [
        f"the attribute {shorten(name)[1:-1]} of raw HTML <{shown}> is left out of the page: {_why_not(name)}; remove it"
        for name, _value in attributes
        if name not in allowed
    ]
    return problems + [
        _link_message(tag, value)
        for name, value in attributes
        if name in ("href", "src") and name in allowed and value and not sanitize.link_survives(value)
    ]


def _why_not(attribute: str) -> str:
    if attribute.startswith("on"):
        return "a note cannot run scripts"
    if attribute == "style":
        return "a note cannot restyle the page (use Markdown for emphasis)"
    return "a note may use only the attributes SECURITY.md lists"


def _link_message(tag: str, url: str) -> str:
    what = "image" if tag == "img" else "link"
    return (
        f"the {what} {shorten(url)} is left out of the page (its text stays): only http, https and mailto "
        "links a browser can open, and links within the site, are kept"
    )


def _capped(path: str, found: list[tuple[int, str]]) -> list[Problem]:
    problems = [warning(path, line, FIELD, message) for line, message in found[:MAX_WARNINGS]]
    if len(found) > MAX_WARNINGS:
        line = found[MAX_WARNINGS][0]
        problems.append(warning(path, line, FIELD, f"and {len(found) - MAX_WARNINGS} more such after this line, left out too"))
    return problems
