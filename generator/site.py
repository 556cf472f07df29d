"""The whole site, as the core hands it to every writer: pages, navigation, files.

``generator.build.build`` makes a ``Site``; the MkDocs plugin writes it as
virtual files, ``briefing export`` as files on disk, ``briefing check``
prints its problems. A writer decides where the bytes go, never what they
say: no page is composed anywhere else.
"""

from __future__ import annotations

import enum
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from generator import blocks
from generator.assemble import Archive
from generator.model import Corpus
from generator.problems import Problem
from generator.settings import SiteConfig


class PageKind(str, enum.Enum):
    HOME = "home"  # the editor's index.md, followed by the latest week
    PAGE = "page"  # another page an editor wrote (a reading guide)
    NOTE = "note"
    DIGEST = "digest"
    BRIEFING = "briefing"
    TOPIC = "topic"
    ENTITY = "entity"
    ENTITIES = "entities"  # the list of all entities
    TOPICS = "topics"  # the list of all topics
    WEEKS = "weeks"  # the list of all weeks
    PROBLEMS = "problems"  # only under `mkdocs serve`: what is wrong with a note that cannot be published


# What search indexes of each kind of page: notes and editors' pages whole; generated
# pages, which repeat the notes' summaries, by their title and headings only.
SEARCH_WHOLE = frozenset({PageKind.HOME, PageKind.PAGE, PageKind.NOTE})


@dataclass(frozen=True, eq=False)
class Page:
    """One page the site publishes. ``title`` and ``description`` are plain text, unescaped.

    The body is composed on first use (``blocks``), so building a site is
    cheap for a front end that needs only some pages (``briefing check``,
    a serve rebuild that reuses the rest).
    """

    path: str  # relative to the docs dir: where the engine reads it, and what its URL follows
    kind: PageKind
    title: str
    description: str
    compose: Callable[[], tuple[blocks.Block, ...]] = field(repr=False)
    nav_title: str | None = None  # a shorter title for the navigation, if it lists the page
    tags: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()  # Material's page options: navigation, toc, footer
    head: str = ""  # HTML for <head>: this page's feed links and Open Graph tags, escaped
    source: str | None = None  # the editor's file the page is made from (edit links; None if generated)
    draft: bool = False

    @cached_property
    def blocks(self) -> tuple[blocks.Block, ...]:
        return self.compose()

    @cached_property
    def markdown(self) -> str:
        """The body as the Markdown an engine renders (see ``generator.blocks``)."""
        return blocks.to_markdown(self.blocks)

    @property
    def search(self) -> str:
        """``page``: index the whole page; ``title``: its title only; ``none``: nothing (serve's problem pages)."""
        if self.kind is PageKind.PROBLEMS:
            return "none"
        return "page" if self.kind in SEARCH_WHOLE else "title"

    def meta(self) -> dict[str, Any]:
        """The page's metadata as engines read it from front matter.

        Material places ``title`` and ``description`` into pages unescaped, so
        every text value is HTML-escaped here, once.
        """
        # The home page's <title> is the site's name, which the theme writes itself (a title here would double it).
        meta: dict[str, Any] = {} if self.kind is PageKind.HOME else {"title": html.escape(self.title)}
        meta["description"] = html.escape(self.description)
        if self.tags:
            meta["tags"] = [html.escape(tag) for tag in self.tags]
        if self.hide:
            meta["hide"] = list(self.hide)
        meta["bf_search"] = self.search
        if self.head:
            meta["bf_head"] = self.head
        return meta


@dataclass(frozen=True)
class NavItem:
    """An entry of the navigation: a page (``path``), or a section of ``children``. Titles are plain text."""

    title: str
    path: str | None = None
    children: tuple[NavItem, ...] = ()


@dataclass(frozen=True, eq=False)
class StaticFile:
    """A file published as it is: one the generator ``make``s (a feed, made on first use), or an editor's ``source``."""

    path: str  # relative to the docs dir, which is where it is served, relative to the site root
    make: Callable[[], bytes] | None = field(default=None, repr=False)
    source: Path | None = None

    @cached_property
    def data(self) -> bytes:
        if self.make is not None:
            return self.make()
        assert self.source is not None
        return self.source.read_bytes()

    @property
    def generated(self) -> bool:
        return self.source is None


@dataclass(frozen=True)
class Site:
    """Everything a writer publishes, and every problem found on the way."""

    config: SiteConfig
    corpus: Corpus
    archive: Archive
    pages: tuple[Page, ...]
    nav: tuple[NavItem, ...]
    files: tuple[StaticFile, ...]  # generated (stylesheet, feeds) and editors' (images)
    problems: tuple[Problem, ...]
    theme_dir: Path  # the templates this site adds to the theme (404 page, <head> additions, search)
    head: str = ""  # HTML for the <head> of pages the generator did not make (the 404 page): the site feed's link
    banner: str = ""  # only when asked (mkdocs serve): HTML listing every problem, for the top of every page

    @cached_property
    def by_path(self) -> dict[str, Page]:
        return {page.path: page for page in self.pages}

    def page(self, path: str) -> Page | None:
        return self.by_path.get(path)
