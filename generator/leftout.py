"""What the sanitiser will leave out of an editor's fragment, said as warnings at their lines.

``generator.sanitize`` removes from every fragment an editor wrote what could
act on the page, the reader or a third party: tags other than formatting
(``<script>``, ``<iframe>``, ``<form>`` …), attributes other than a few
(``onerror``, ``style``, ``target`` …), and links a browser would run or
cannot open (``javascript:``, ``data:``, a port past 65535). The reader is
safe either way; but the editor meant that text, and SPEC §6 says nothing is
dropped silently (Hugo warns alike when it omits raw HTML). So ``briefing
check`` and every build warn about each of them, naming the tag, attribute or
link at its line; a strict build fails, as for every warning. With
``allow_raw_html`` nothing is left out and nothing is said.

What is judged is what the sanitiser is given: the fragment converted by
Python-Markdown with the site's extensions (raw HTML, ``md_in_html``,
``attr_list``'s ``{: … }`` and Markdown's links alike). A tag or attribute is
reported when the editor wrote it (its name is in the text outside code);
one an extension writes itself (a task list's checkbox) is the site's
choice, not the editor's text. A link the sanitiser drops is always reported.
Converting costs, so a fragment is converted only when a cheap look at its
Markdown finds a tag, an attribute list, or a link not plainly kept; most
notes have none.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

from generator import markup, sanitize
from generator.bodycheck import CODE_SPAN, VOID_TAGS
from generator.problems import Problem, shorten, warning

FIELD = "body"
MAX_WARNINGS = 10  # per fragment; then one "and more"
# Tags whose content the sanitiser removes along with them (nh3's default clean_content_tags).
CONTENT_REMOVED = frozenset({"script", "style"})

_TAG_START = re.compile(r"<[A-Za-z]")
_ATTRIBUTE_LIST = re.compile(r"\{[^{}\n]*=")  # attr_list's `{: target="_blank" }`
_LINK_START = re.compile(r"\]\(|\]:")
# A link as the cheap look can vouch for: a target without entities, escapes or quotes, a plain title at most.
_PLAIN_INLINE = re.compile(r"\]\([ \t]*<?([^\s<>()\"'`\\&]+)>?(?:[ \t]+\"[^\"\n]*\")?[ \t]*\)")
_PLAIN_REFERENCE = re.compile(r"\]:[ \t]*<?([^\s<>\"'`\\&]+)>?(?:[ \t]+\"[^\"\n]*\")?[ \t]*(?:\n|$)")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n)")
_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[^\n]*\n.*?(?:^[ \t]*\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
# Where the editor wrote tags and attributes: inside <…> and attr_list's {…}.
_MARKUP = re.compile(r"<[A-Za-z][^<>]*>?|\{[^{}\n]*\}")
_TAG_NAME = re.compile(r"<([A-Za-z][^\s/>]*)")
_ATTRIBUTE_NAME = re.compile(r"(?<=[\s\"'{])([^\s\"'<>/=`{}]+)(?=\s*=|[\s/>}])")
# A reference definition in a list item, quote or admonition, which the top-level scan (markup) leaves alone.
_NESTED_REFERENCE = re.compile(r"^[ \t>]*\[[^\]\n]+\]:[ \t]*(\S+)", re.MULTILINE)
# Comments Python's HTML parser reads otherwise than the sanitiser's (html5ever ends them at once).
_ODD_COMMENT = re.compile(r"<!--->|<!-->")


def _needs_a_look(text: str) -> bool:
    """Whether ``text`` may hold something the sanitiser removes: a tag, an attribute list, a link not plainly kept."""
    if _TAG_START.search(text) or ("{" in text and _ATTRIBUTE_LIST.search(text)):
        return True
    for start in _LINK_START.finditer(text):
        pattern = _PLAIN_INLINE if start[0] == "](" else _PLAIN_REFERENCE
        plain = pattern.match(text, start.start())
        if plain is None or not _plainly_kept(plain[1]):
            return True
    return False


@lru_cache(maxsize=4096)
def _plainly_kept(target: str) -> bool:
    scheme = _SCHEME.match(target)
    if scheme is None:
        return True  # relative
    return scheme[0].lower() in ("http:", "https:", "mailto:") and sanitize.link_survives(target)


def left_out(text: str, path: str, first_line: int, extensions: Iterable[Any]) -> list[Problem]:
    """A warning for each tag, attribute or link of ``text`` that the sanitiser will leave out of the page.

    ``text`` is an editor's Markdown whose first line is line ``first_line``
    of ``path``; ``extensions`` are the site's, with which the build converts it.
    """
    if not _needs_a_look(text):
        return []
    converted = _ODD_COMMENT.sub("<!---->", markup.convert_unsanitised(text, extensions=extensions))
    places = _Places(text)
    found = dict.fromkeys(problem for tag, attributes in _start_tags(converted) for problem in _judged(tag, attributes, places))
    return _capped(path, [(first_line + line - 1, message) for line, message in sorted(found, key=lambda problem: problem[0])])


class _StartTags(HTMLParser):
    """Every start tag of an HTML fragment: its name and attributes (values unescaped, as a browser reads them)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _start_tags(fragment: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _StartTags()
    parser.feed(fragment)
    parser.close()
    return parser.found


class _Places:
    """Where in the text the editor wrote each tag, attribute and link: the next unclaimed place each time asked.

    Code (spans and fenced blocks) is blanked first: HTML shown as code is not the editor's HTML.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.masked = _masked(text)
        self.tags: dict[str, list[int]] = {}
        self.attributes: dict[str, list[int]] = {}
        for markup_at in _MARKUP.finditer(self.masked):
            for name in _TAG_NAME.finditer(markup_at[0]):
                self.tags.setdefault(name[1].lower(), []).append(markup_at.start() + name.start())
            for name in _ATTRIBUTE_NAME.finditer(markup_at[0]):
                self.attributes.setdefault(name[1].lower(), []).append(markup_at.start() + name.start())
        written = markup.link_targets(self.masked) + [(m[1], m.start(1)) for m in _NESTED_REFERENCE.finditer(self.masked)]
        self.targets = [(html.unescape(target.strip("<>")), at) for target, at in written]
        self._last_link: dict[str, int] = {}

    def tag(self, name: str) -> int | None:
        return self._line(self.tags.get(name))

    def attribute(self, name: str) -> int | None:
        return self._line(self.attributes.get(name))

    def link(self, value: str, attribute: str) -> int:
        """The line of a link's target: where it is written as it is, or where a Markdown target starts it, or
        the next ``href``/``src`` written in a tag (its value hidden by entities); else the first line."""
        at = self.masked.find(value, self._last_link.get(value, -1) + 1)
        if at >= 0:
            self._last_link[value] = at
            return 1 + self.text.count("\n", 0, at)
        at = next((at for target, at in self.targets if target and value.startswith(target)), -1)
        if at >= 0:
            return 1 + self.text.count("\n", 0, at)
        return self.attribute(attribute) or 1

    def _line(self, places: list[int] | None) -> int | None:
        if not places:
            return None
        at = places.pop(0) if len(places) > 1 else places[0]  # the next one; the last stays for any more
        return 1 + self.text.count("\n", 0, at)


def _masked(text: str) -> str:
    """``text`` with code spans and fenced code blocks blanked, lines and offsets kept."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match[0])

    def blank_but_the_fence(match: re.Match[str]) -> str:  # its opening line may carry attributes: { .python data-x=1 }
        opening, _, rest = match[0].partition("\n")
        return opening + "\n" + re.sub(r"[^\n]", " ", rest)

    # Code spans end within their paragraph, as in Python-Markdown: each paragraph is searched on its own,
    # so that unmatched backticks cost a paragraph's length each, not the whole text's.
    paragraphs = _PARAGRAPH_BREAK.split(_FENCE.sub(blank_but_the_fence, text))
    return "".join(CODE_SPAN.sub(blank, part) if "`" in part else part for part in paragraphs)


def _judged(tag: str, attributes: list[tuple[str, str | None]], places: _Places) -> Iterator[tuple[int, str]]:
    """(line, message) for what the sanitiser removes of one element the editor wrote."""
    if tag not in sanitize.ALLOWED_TAGS:
        line = places.tag(tag)
        if line is not None:
            yield line, _tag_message(tag)
        return  # its attributes go with it
    allowed = sanitize.ALLOWED_ATTRIBUTES["*"] | sanitize.ALLOWED_ATTRIBUTES.get(tag, frozenset())
    for name, value in attributes:
        if name not in allowed:
            if (line := places.attribute(name)) is not None:
                yield line, _attribute_message(tag, name, _why_not(name))
        elif name == "style" and value and _style_properties(value) - sanitize.STYLE_PROPERTIES:
            if (line := places.attribute(name)) is not None:
                yield line, _attribute_message(tag, name, "only its text-align is kept")
        elif name == "dir" and value is not None and value.lower() not in sanitize.DIRECTIONS:
            if (line := places.attribute(name)) is not None:
                yield line, _attribute_message(tag, name, "a direction is ltr, rtl or auto")
        elif name in ("href", "src") and value and not sanitize.link_survives(value):
            yield places.link(value, name), _link_message(tag, value)


def _style_properties(style: str) -> set[str]:
    return {part.split(":", 1)[0].strip().lower() for part in style.split(";") if part.strip()}


def _tag_message(tag: str) -> str:
    shown = shorten(tag)[1:-1]
    if tag in CONTENT_REMOVED:
        why = "a note cannot run scripts" if tag == "script" else "a note cannot restyle the site"
        return (
            f"raw HTML <{shown}> is left out of the page with everything in it: {why}; remove it "
            "(or turn on the briefing plugin's allow_raw_html if every editor is trusted)"
        )
    stays = "" if tag in VOID_TAGS else " (its text stays)"
    return (
        f"raw HTML <{shown}> is left out of the page{stays}: a note may use formatting tags only "
        "(SECURITY.md lists them); remove it, and link to the original for anything embedded"
    )


def _attribute_message(tag: str, attribute: str, why: str) -> str:
    return f"the attribute {shorten(attribute)[1:-1]} of <{shorten(tag)[1:-1]}> is left out of the page: {why}; remove it"


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
