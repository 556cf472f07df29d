"""Editor-written Markdown (note bodies, ledes, topic intros, editors' pages) to safe, finished HTML.

The core converts editors' Markdown itself, once, for every output: the
engine gets the result as a raw HTML block (``generator.blocks``), and feeds
and the email edition get the same HTML. Converting here rather than in the
engine is what makes every output safe alike: links are resolved by the
site's URL rules (``generator.paths``), then the HTML is sanitised by
``generator.sanitize`` unless the site trusts its authors with raw HTML.

Links: an editor links another page by its file, relative to the file the
link is written in (``[Reuters](../notes/2025/2025-09-11-x.md)`` in
``weeks/2025-W37.md``), as MkDocs does. Such links become URLs relative to
the page that shows the fragment (a lede shows on its digest and on the home
page), or absolute ones for feeds and email.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import markdown
from markdown.treeprocessors import Treeprocessor

from generator import paths, sanitize

# Extensions of the site that only the engine's own rendering needs: headings' ids
# and permalinks are the engine's, for the generator's headings (see generator.blocks).
_ENGINE_ONLY = frozenset({"toc", "markdown.extensions.toc"})
# Extensions that put other files into the text (``--8<-- ".env"``; ``{!mkdocs.yml!}``): a note could then
# publish any file of the repository (SPEC 7: nothing a note says can make the generator read outside the
# site). Every fragment an editor writes is converted here (notes, ledes, topic intros, editors' pages), so
# none of them gets these; a site that lists one keeps it for the engine's own rendering only.
FILE_READING = frozenset({"pymdownx.snippets", "markdown_include.include", "mdx_include", "pymdownx.b64"})
_LEFT_OUT = _ENGINE_ONLY | FILE_READING
DEFAULT_EXTENSIONS: tuple[Any, ...] = ("extra", "sane_lists", "admonition")


@dataclass(frozen=True)
class Where:
    """Where a fragment is shown: on the page ``page`` (relative links), or anywhere (absolute, ``page=None``)."""

    page: str | None
    known: frozenset[str]  # docs paths of every page and file of the site
    directory_urls: bool = True
    site_url: str | None = None

    def url(self, path: str, fragment: str = "") -> str:
        if self.page is None:
            base = paths.absolute_url(self.site_url or "/", path, self.directory_urls)
            return base + (f"#{fragment}" if fragment else "")
        return paths.href(self.page, path, self.directory_urls, fragment)


class _Links(Treeprocessor):
    """Points editors' relative links to files of the site at those files' final URLs."""

    def __init__(self, md: markdown.Markdown) -> None:
        super().__init__(md)
        self.source = ""
        self.where: Where | None = None

    def run(self, root: ET.Element) -> None:
        where = self.where
        if where is None:
            return
        for element in root.iter():
            attribute = "href" if element.tag == "a" else "src" if element.tag == "img" else None
            value = element.get(attribute) if attribute else None
            if not value or attribute is None:
                continue
            resolved = paths.resolve_link(self.source, value)
            if resolved is not None and resolved[0] in where.known:
                element.set(attribute, where.url(*resolved))


class _LinkExtension(markdown.Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(_Links(md), "briefing-links", 1)  # after inline links and attr_list


@dataclass
class _Converter:
    md: markdown.Markdown
    links: _Links


def _split_extensions(configured: Iterable[Any]) -> tuple[list[Any], dict[str, Any]]:
    names: list[Any] = []
    configs: dict[str, Any] = {}
    for item in configured:
        if isinstance(item, dict):
            for name, options in item.items():
                if name not in _LEFT_OUT:
                    names.append(name)
                    if options:
                        configs[name] = options
        elif item not in _LEFT_OUT:
            names.append(item)
    return names, configs


@lru_cache(maxsize=4)
def _converter(extensions: tuple[Any, ...]) -> _Converter:
    """One converter per set of extensions, reset before each fragment: making one loads every extension anew."""
    names, configs = _split_extensions(extensions or DEFAULT_EXTENSIONS)
    md = markdown.Markdown(extensions=[*names, _LinkExtension()], extension_configs=configs, output_format="html")
    links = md.treeprocessors["briefing-links"]
    assert isinstance(links, _Links)
    return _Converter(md, links)


def _freeze(extensions: Iterable[Any]) -> tuple[Any, ...]:
    """mkdocs.yml's extension list, hashable (options as sorted items), for the converter cache."""
    return tuple(_freeze_value(item) for item in extensions)


def _freeze_value(value: Any) -> Any:
    if isinstance(value, dict):
        return _FrozenDict((k, _freeze_value(v)) for k, v in sorted(value.items()))
    if isinstance(value, list):
        return tuple(_freeze_value(v) for v in value)
    return value


class _FrozenDict(dict[str, Any]):
    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(self.items()))


def to_html(
    text: str,
    *,
    source: str,
    where: Where,
    extensions: Iterable[Any] = (),
    allow_raw_html: bool = False,
) -> str:
    """Render a fragment of editor Markdown written in the file ``source`` for showing ``where``."""
    converter = _converter(_freeze(extensions))
    converter.links.source, converter.links.where = source, where
    try:
        html = converter.md.reset().convert(text)
    finally:
        converter.links.where = None
    return html if allow_raw_html else sanitize.clean_editor_html(html)


def convert_unsanitised(text: str, *, extensions: Iterable[Any] = ()) -> str:
    """``text`` converted as :func:`to_html` does, but neither sanitised nor with its links resolved.

    What the sanitiser would be given: ``generator.leftout`` says what it removes.
    """
    return _converter(_freeze(extensions)).md.reset().convert(text)


_INLINE_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*<?(\S+?)>?(?:[ \t]+.*)?$", re.MULTILINE)  # a line each: linear


@dataclass(frozen=True)
class RelativeLink:
    target: str  # as written
    path: str  # the docs path it points at
    line: int  # the file line it is on


def _link_matches(text: str) -> Iterator[re.Match[str]]:
    """The Markdown links of ``text``, inline and reference-style, by a cheap scan; group 1 is the target."""
    yield from _INLINE_LINK.finditer(text)
    yield from _REFERENCE.finditer(text)


def link_targets(text: str) -> list[tuple[str, int]]:
    """The targets of the Markdown links of ``text`` as written, and where each starts (a cheap scan: code spans are not told apart)."""
    return [(match[1], match.start(1)) for match in _link_matches(text)]


def relative_links(text: str, source: str, first_line: int) -> list[RelativeLink]:
    """Links to other files of the site in a fragment (inline and reference-style), with their lines.

    A cheap scan of the Markdown, so that ``briefing check`` finds a broken
    link without converting every note (the build converts; both use this
    list to report, so they agree).
    """
    found: list[RelativeLink] = []
    for match in _link_matches(text):
        resolved = paths.resolve_link(source, match[1])
        # A file (note.md, chart.png), not a folder URL (../weeks/2025-W37/), which MkDocs does not check either.
        if resolved is not None and "." in resolved[0].rsplit("/", 1)[-1] and not match[1].endswith("/"):
            line = first_line + text.count("\n", 0, match.start(1))
            found.append(RelativeLink(match[1], resolved[0], line))
    return sorted(found, key=lambda link: (link.line, link.target))
