"""A page body as the core composes it: headings and blocks of finished, sanitised HTML.

Every page the site publishes is made of two kinds of block:

- ``Heading``: a section or item heading. Its id is the generator's own
  (a python-slugify slug, never editor text as written), so no editor can
  give an element an id the theme uses (Material reads ``#__config``).
- ``Html``: a fragment of finished HTML, with every link final (relative to
  the page, or absolute for feeds and email). Each fragment is sanitised
  before it becomes a block: the generator's own markup against an
  allow-list of what its templates produce (a last line of defence behind
  escaping), editors' markup by ``generator.sanitize``.

An engine that renders Markdown gets ``to_markdown``: headings as Markdown
headings (so its table of contents and permalinks work) with an explicit
``{#id}`` (Python-Markdown's ``attr_list``, which the engine writers switch
on), and each HTML block as one raw ``<div>``, which Markdown passes through
untouched. Feeds and the email edition take ``to_html``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

import nh3

from generator.escape import escape_text
from generator.slugs import heading_slug


@dataclass(frozen=True)
class Heading:
    level: int
    inline: str  # escaped text, or one <a href="...">escaped text</a>
    id: str


@dataclass(frozen=True)
class Html:
    html: str


Block = Heading | Html

_HREF = re.compile(r"(?:https?://[A-Za-z0-9.-]+(?::\d+)?)?[A-Za-z0-9/._~%#-]*")
_LINKED = re.compile(r'<a href="([^"<>]*)">([^<]*)</a>')
_TAG = re.compile(r"<[^>]*>")
# A heading line in template output: on a line of its own, at the top level of the page.
_HEADING_LINE = re.compile(r'^<h([1-6]) id="([a-z0-9-]+)">(.*)</h\1>$', re.MULTILINE)


def heading_inline(inline: str) -> str:
    """A heading's content as Markdown may carry it: escaped text, or one link around escaped text.

    Anything else is reduced to its text. Text is escaped for Markdown too
    (``escape_text``), since an engine reads the heading as Markdown.
    """
    linked = _LINKED.fullmatch(inline)
    if linked and _HREF.fullmatch(html.unescape(linked[1])):
        return f'<a href="{html.escape(html.unescape(linked[1]))}">{escape_text(html.unescape(linked[2]))}</a>'
    return escape_text(html.unescape(_TAG.sub("", inline)))


# The markup of the generator's own templates. Anything else in a generated page did not come
# from a template as written, so it goes, whatever escaping might have missed.
GENERATED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "bdi",
        "br",
        "caption",
        "code",
        "dd",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "nav",
        "ol",
        "p",
        "section",
        "small",
        "span",
        "strong",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "time",
        "tr",
        "ul",
    ]
)
GENERATED_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "role", "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden"},
    "a": {"href", "hreflang", "rel"},
    "time": {"datetime"},
    "td": {"colspan"},
    "th": {"scope", "colspan"},
}
_GENERATED_DATA = {"data-pagefind-ignore", "data-pagefind-body", "data-pagefind-meta", "data-pagefind-weight"}


def clean_generated(fragment: str) -> str:
    """The last line of defence for a generated fragment: only the markup templates write survives."""
    return nh3.clean(
        fragment,
        tags=set(GENERATED_TAGS),
        attributes={k: set(v) | (_GENERATED_DATA if k == "*" else set()) for k, v in GENERATED_ATTRIBUTES.items()},
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
        strip_comments=True,
    )


def parse_generated(text: str) -> list[Block]:
    """Template output (HTML, top-level headings on lines of their own) to blocks, sanitised."""
    cleaned = clean_generated(text)
    blocks: list[Block] = []
    position = 0
    for match in _HEADING_LINE.finditer(cleaned):
        _add_html(blocks, cleaned[position : match.start()])
        blocks.append(Heading(int(match[1]), heading_inline(match[3]), match[2]))
        position = match.end()
    _add_html(blocks, cleaned[position:])
    return blocks


def _add_html(blocks: list[Block], fragment: str) -> None:
    if fragment.strip():
        blocks.append(Html(fragment.strip()))


def heading_line(level: int, inline: str, ids: IdSet) -> str:
    """A heading as templates write it (see ``parse_generated``), with a unique id from its text."""
    return f'<h{level} id="{ids.new(inline)}">{inline}</h{level}>'


class IdSet:
    """Unique heading ids for one page, made from heading text by python-slugify."""

    def __init__(self) -> None:
        self._used: set[str] = set()

    def new(self, inline: str) -> str:
        base = heading_slug(html.unescape(_TAG.sub("", inline))) or "section"
        candidate, n = base, 1
        while candidate in self._used:
            n += 1
            candidate = f"{base}-{n}"
        self._used.add(candidate)
        return candidate


_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n)")


def html_block(block: Html, *, unsearched: bool = False) -> str:
    """An HTML block as Markdown carries it (and Markdown renders it): one raw ``<div>``, without a blank line.

    CommonMark ends an HTML block at the first blank line and reads what
    follows as Markdown, where escaped text would become syntax again
    (``[a](javascript:b)``). An empty comment on each blank line keeps the
    block whole for every Markdown engine, and shows as nothing (in ``<pre>``
    too, where the line break around it stays). ``unsearched`` marks the
    block for engines whose own search skips what carries ``data-search-exclude``.
    """
    body = _BLANK_LINE.sub("\n<!---->", block.html)
    return f'<div class="bf-block"{" data-search-exclude" if unsearched else ""}>\n{body}\n</div>'


def to_markdown(blocks: Iterable[Block], *, title_only_search: bool = False) -> str:
    """The page as Markdown for an engine: headings with explicit ids, HTML blocks passed through.

    ``title_only_search``: everything but the page's title carries
    ``data-search-exclude`` (an ``attr_list`` attribute on headings), which
    Zensical's and Material's own search honour: a briefing is found by its
    title, and the notes it repeats only as themselves.
    """
    parts = []
    for block in blocks:
        unsearched = title_only_search and not (isinstance(block, Heading) and block.level == 1)
        if isinstance(block, Heading):
            parts.append(f"{'#' * block.level} {block.inline} {{#{block.id}{' data-search-exclude' if unsearched else ''}}}")
        else:
            parts.append(html_block(block, unsearched=unsearched))
    return "\n\n".join(parts) + "\n"


def skeleton(blocks: Iterable[Block], token: str) -> tuple[str, list[str]]:
    """``to_markdown`` with each HTML block replaced by a paragraph ``<token><n>``, and the blocks as rendered.

    For an engine adapter that renders the headings itself and splices the
    blocks in: Markdown passes a raw block through unchanged anyway, so the
    page is the same, without the engine parsing every block's HTML again.
    """
    parts: list[str] = []
    spliced: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"{'#' * block.level} {block.inline} {{#{block.id}}}")
        else:
            parts.append(f"{token}{len(spliced)}")
            spliced.append(html_block(block))
    return "\n\n".join(parts) + "\n", spliced


def to_html(blocks: Iterable[Block], *, heading_offset: int = 0) -> str:
    """The page as HTML (feeds, email): headings as ``<hN>``, shifted down by ``heading_offset`` levels."""
    parts = []
    for block in blocks:
        if isinstance(block, Heading):
            level = min(block.level + heading_offset, 6)
            parts.append(f'<h{level} id="{block.id}">{block.inline}</h{level}>')
        else:
            parts.append(block.html)
    return "\n".join(parts) + "\n"
