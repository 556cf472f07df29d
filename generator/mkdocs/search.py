"""The site's search through MkDocs' builds: ``SiteSearch``, and what Pagefind indexes of each page.

``SiteSearch`` holds what the plugin's search hooks need from one build to the
next: whether the site uses Pagefind (the default) or Material's search
plugin (the fallback, fed a lean index), and the index being made.

Pagefind used to read the finished site after the build, one core busy while
the other idled: a quarter of the build at 1,000 notes. Once MkDocs has
rendered every page's content (``on_env``), the part the theme marks for
search is known: ``generator/theme/main.html`` wraps Material's content
partial (tags, then the page's ``<h1>`` unless its content has one, then the
content) in ``data-pagefind-body``, or only the title on pages indexed by
title. ``records`` rebuilds that part, ``IndexRun`` indexes it on the second
core while MkDocs writes the pages, and the bundle goes in at the end.

Only where the part is known for sure: Material's theme, a full build (not
``--dirty``, not ``mkdocs serve``, which indexes the written site in the
background instead). ``tests/test_search.py`` checks that the bundle is the
one Pagefind writes from the finished pages.
"""

from __future__ import annotations

import html
from pathlib import Path

from generator.search import material
from generator.search.background import Indexer
from generator.search.pagefind import IndexReport, IndexRun, Record, SearchIndexError, set_aside
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

TAGS_PLUGINS = ("material/tags", "tags")
log = get_plugin_logger("briefing")


class SiteSearch:
    """Search for one ``mkdocs build``, or for every rebuild of ``mkdocs serve``."""

    def __init__(self, *, serving: bool = False, dirty: bool = False) -> None:
        self.serving = serving
        self.dirty = dirty
        self.pagefind = True  # index with Pagefind (off when Material's search plugin is configured)
        self.indexer = Indexer()  # indexes the written site: under `mkdocs serve`, and after a --dirty build
        self.index_run: IndexRun | None = None  # a full build's index, made while MkDocs writes the pages

    def configure(self, config: MkDocsConfig) -> None:
        """Material's search plugin, when a site configures it, is the fallback: then no Pagefind index."""
        self.pagefind = "material/search" not in config.plugins and "search" not in config.plugins
        config.extra["briefing_pagefind"] = self.pagefind  # the theme's main.html loads Pagefind's box when so

    def page_content(self, content: str, page: Page) -> str:
        """With Material's search: generated pages indexed by their title only, serve's problem pages not at all."""
        if not self.pagefind:
            if page.meta.get("bf_search") == "title":
                return material.title_only(content)
            if page.meta.get("bf_search") == "none":
                page.meta["search"] = {"exclude": True}
        return content

    def pre_build(self, config: MkDocsConfig) -> None:
        self.indexer.release_site()  # MkDocs is about to clean site_dir: the last rebuild's index is called off
        if self._beside(config):  # the last bundle is deleted beside the build, not before it
            set_aside(Path(config.site_dir))

    def pages_rendered(self, files: Files, config: MkDocsConfig) -> None:
        """Every page's content is rendered and the theme has yet to write them (``on_env``).

        Pagefind can then index the part each page marks, on another core, while MkDocs writes the site.
        """
        if self._beside(config):
            self.index_run = IndexRun(records(files, config), Path(config.site_dir))

    def _beside(self, config: MkDocsConfig) -> bool:
        """Whether this build's index is made beside it (an IndexRun), not from the written site."""
        return self.pagefind and not self.serving and not self.dirty and known(config)

    def post_build(self, config: MkDocsConfig) -> None:
        if self.index_run is not None:
            run, self.index_run = self.index_run, None
            try:
                _logged(run.finish())
            except SearchIndexError as error:
                _logged(error)
        elif self.pagefind:  # writes only site_dir/pagefind/; under `mkdocs serve` while the new pages are served
            self.indexer.start(Path(config.site_dir), _logged, background=self.serving)

    def build_failed(self) -> None:
        if self.index_run is not None:
            self.index_run.abandon()
            self.index_run = None

    def shutdown(self) -> None:
        if self.serving:  # nobody will search what the server no longer serves
            self.indexer.release_site()
        self.indexer.wait()


def _logged(result: IndexReport | Exception) -> None:
    if isinstance(result, Exception):
        log.warning(f"search: {result}")  # a failed index fails `mkdocs build --strict`
    else:
        log.info(f"search: indexed {result.pages} pages in {result.seconds:.1f} s ({result.bytes / 1e6:.1f} MB)")


def known(config: MkDocsConfig) -> bool:
    """Whether ``records`` knows what this site's pages will mark (the theme our templates extend)."""
    return config.theme.name == "material"


def records(files: Files, config: MkDocsConfig) -> list[Record]:
    """Every page's marked part, as ``generator/theme/main.html`` will write it."""
    language = str(config.theme.get("language") or "en")
    tags_shown = any(name in config.plugins for name in TAGS_PLUGINS)
    found = []
    for file in files.documentation_pages():
        page = file.page
        if page is None or page.content is None:
            continue
        mode = page.meta.get("bf_search") or "page"
        if mode == "title":
            marked = f"<div data-pagefind-body hidden><h1>{page.meta.get('title') or page.title}</h1></div>"
        elif mode == "page":
            marked = f"<div data-pagefind-body>{_tags(page) if tags_shown else ''}{_h1(page, config)}{page.content}</div>"
        else:
            continue
        found.append(Record(path=file.dest_uri, language=language, marked=marked))
    return found


def _tags(page: Page) -> str:
    """Material's ``partials/tags.html``, as far as search sees it: the tag names (its links and icons say nothing)."""
    tags = page.meta.get("tags") or []
    if not tags:
        return ""
    hidden = " hidden" if "tags" in (page.meta.get("hide") or ()) else ""
    spans = "".join(f'<span class="md-tag">{html.escape(str(tag))}</span>' for tag in tags)
    return f'<nav class="md-tags"{hidden}>{spans}</nav>'


def _h1(page: Page, config: MkDocsConfig) -> str:
    """Material's content partial adds the title as ``<h1>`` to a page whose content has none."""
    return "" if "<h1" in (page.content or "") else f"<h1>{page.title or config.site_name}</h1>"
