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
_ACTING_ATTRIBUTE_LIST = re.compile(r"\{[^}\n]*(?<![\w-])(?:on\w+|style)\s*=", re.IGNORECASE)  # attr_list's `{: onclick=… }`
# A link target the sanitiser certainly keeps: relative, or http(s)/mailto with an ordinary host name and port.
_PLAINLY_KEPT = re.compile(
    r"(?![A-Za-z][A-Za-z0-9+.-]*:)[^\\\s&]*"  # no scheme (an entity could hide one): relative
    r"|https?://(?![0-9.]+(?:[:/?#]|$))[A-Za-z0-9.-]+(?::[0-9]{1,4})?(?:[/?#][^\\\s]*)?"
    r"|mailto:[^\\\s]+",
    re.IGNORECASE,
)


_Tag = tuple[str, list[tuple[str, str | None]], int]  # name, attributes, line within the fragment


class _StartTags(HTMLParser):
    """Every start tag of an HTML fragment: name, attributes (values unescaped, as a browser reads them), line."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[_Tag] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs, self.getpos()[0]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _start_tags(fragment: str) -> list[_Tag]:
    parser = _StartTags()
    parser.feed(fragment)
    parser.close()
    return parser.found


def _needs_a_look(text: str) -> bool:
    """Whether ``text`` may hold something the sanitiser removes: a tag, or a link not plainly kept."""
    if _TAG_START.search(text) or ("{" in text and _ACTING_ATTRIBUTE_LIST.search(text)):
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
    raw = _RawHtml(text)
    for part in raw_parts:
        raw.look_at(part)
    converted_tags = _start_tags(converted)
    found = raw.found | _attribute_list_problems(text, converted_tags, raw.attributes)
    found |= _link_problems(text, converted_tags, raw.links)
    return _capped(path, [(first_line + line - 1, message) for line, message in sorted(found, key=lambda key: key[0])])


Found = dict[tuple[int, str], None]  # (line within the text, message): in the order found, each once


def _line(text: str, index: int | None) -> int:
    """The line of ``text`` (from 1) that holds the character at ``index``; the first when it was not found."""
    return 1 + text.count("\n", 0, index) if index is not None and index >= 0 else 1


class _RawHtml:
    """The editor's raw HTML, part by part as Python-Markdown set it aside: its tags, attributes and links."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.found: Found = {}
        self.attributes: set[tuple[str, str]] = set()  # (tag, attribute) judged here, not again as attr_list's
        self.links: set[tuple[str, str | None]] = set()  # (tag, URL) judged here, not again as Markdown's
        self._taken: set[int] = set()

    def look_at(self, part: str) -> None:
        start = _position(self.text, part.rstrip("\n"), self._taken)
        if start is None:
            return  # HTML an extension wrote (highlighted code), not the editor's
        line = _line(self.text, start)
        for tag, attributes, offset in _start_tags(part):
            for message in _tag_problems(tag, attributes):
                self.found[(line + offset - 1, message)] = None
            self.attributes.update((tag, name) for name, _value in attributes)
            self.links.update((tag, value) for name, value in attributes if name in ("href", "src"))


def _attribute_list_problems(text: str, tags: list[_Tag], judged: set[tuple[str, str]]) -> Found:
    """Attributes set with attr_list (``{: onclick="…" }``): handlers and styles, which no extension writes itself."""
    found: Found = {}
    for tag, attributes, _offset in tags:
        for name, _value in attributes:
            if tag in sanitize.ALLOWED_TAGS and _acts(tag, name) and (tag, name) not in judged:
                written = re.search(rf"(?<![\w-]){re.escape(name)}\s*=", text, re.IGNORECASE)
                found[(_line(text, written.start() if written else None), _attribute_message(tag, name))] = None
    return found


def _link_problems(text: str, tags: list[_Tag], judged: set[tuple[str, str | None]]) -> Found:
    """Markdown's links and images the sanitiser drops, each at the line of its target as written (entities and all)."""
    dropped = {
        (tag, value)
        for tag, attributes, _offset in tags
        for name, value in attributes
        if name in ("href", "src") and value and not sanitize.link_survives(value)
    }
    targets = [(html.unescape(target.strip("<>")), at) for target, at in markup.link_targets(text)]
    found: Found = {}
    for tag, value in sorted(dropped - judged):
        at = next((at for target, at in targets if target and value.startswith(target)), None)
        found[(_line(text, at), _link_message(tag, value))] = None
    return found


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
    problems = [_attribute_message(tag, name, raw=True) for name, _value in attributes if name not in allowed]
    return problems + [
        _link_message(tag, value)
        for name, value in attributes
        if name in ("href", "src") and name in allowed and value and not sanitize.link_survives(value)
    ]


def _acts(tag: str, attribute: str) -> bool:
    """Whether the sanitiser removes ``attribute`` as one that acts (an event handler) or restyles (``style``)."""
    return attribute.startswith("on") or (attribute == "style" and "style" not in sanitize.ALLOWED_ATTRIBUTES.get(tag, ()))


def _attribute_message(tag: str, attribute: str, *, raw: bool = False) -> str:
    where = f"raw HTML <{shorten(tag)[1:-1]}>" if raw else f"the <{shorten(tag)[1:-1]}>"
    return f"the attribute {shorten(attribute)[1:-1]} of {where} is left out of the page: {_why_not(attribute)}; remove it"


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
