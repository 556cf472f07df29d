"""One Markdown converter for every page of a build, instead of a new one per page.

MkDocs 1.6 makes a new ``markdown.Markdown`` for each page, which loads every
extension and builds every processor again: 3% of the build of a 1,000-note
site, as much as all of the ``briefing`` plugin's work on note pages.
Python-Markdown converters are made to be reused (``reset()`` clears what a
document left behind), so this plugin, which the ``briefing`` plugin adds to
every build, gives each page a ``render`` that converts with one shared
converter and otherwise does exactly what ``Page.render`` does: the same
MkDocs processors, registered anew for the page (a processor registered again
under its name replaces the old one and sorts where the new one would), the
same attributes set. The pages come out byte for byte the same.

Only when every Markdown extension of the site is one that comes with
Python-Markdown, whose ``reset()`` is known to clear its state; with any other
(``pymdownx``, a site's own) MkDocs renders each page as it always does.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

import markdown
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure import pages
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

NAME = "briefing/shared-converter"
BUNDLED = frozenset(
    {"abbr", "admonition", "attr_list", "def_list", "extra", "fenced_code", "footnotes", "legacy_attrs", "legacy_em"}
    | {"md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc", "wikilinks", "codehilite"}
)
_MKDOCS_PARTS = (
    "_RawHTMLPreprocessor",
    "_ExtractAnchorsTreeprocessor",
    "_RelativePathTreeprocessor",
    "_ExtractTitleTreeprocessor",
)


def _bundled(extension: object) -> bool:
    return isinstance(extension, str) and extension.removeprefix("markdown.extensions.") in BUNDLED


def _render(page: Page, shared: SharedConverter, config: MkDocsConfig, files: Files) -> None:
    """``Page.render`` of MkDocs 1.6, with a converter that is reset instead of made anew."""
    if page.markdown is None:
        raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
    md = shared.converter(config)
    raw_html_ext = pages._RawHTMLPreprocessor()
    raw_html_ext._register(md)
    extract_anchors_ext = pages._ExtractAnchorsTreeprocessor(page.file, files, config)
    extract_anchors_ext._register(md)
    relative_path_ext = pages._RelativePathTreeprocessor(page.file, files, config)
    relative_path_ext._register(md)
    extract_title_ext = pages._ExtractTitleTreeprocessor()
    extract_title_ext._register(md)
    page.content = md.convert(page.markdown)
    page.toc = get_toc(getattr(md, "toc_tokens", []))
    page._title_from_render = extract_title_ext.title
    page.present_anchor_ids = extract_anchors_ext.present_anchor_ids | raw_html_ext.present_anchor_ids
    if pages.log.getEffectiveLevel() > logging.DEBUG:
        page.links_to_anchors = relative_path_ext.links_to_anchors


class SharedConverter(BasePlugin):  # type: ignore[type-arg, no-untyped-call]
    """Gives every page of a build a ``render`` that reuses one Markdown converter."""

    def __init__(self) -> None:
        self.active = False
        self._converter: tuple[MkDocsConfig, markdown.Markdown] | None = None

    def converter(self, config: MkDocsConfig) -> markdown.Markdown:
        if self._converter is None or self._converter[0] is not config:
            md = markdown.Markdown(extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
            self._converter = (config, md)
        return self._converter[1].reset()

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self._converter = None
        self.active = all(hasattr(pages, name) for name in _MKDOCS_PARTS) and all(
            _bundled(extension) for extension in config["markdown_extensions"]
        )

    @event_priority(100)
    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        if self.active:
            page.render = functools.partial(_render, page, self)  # type: ignore[method-assign]
        return page

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._converter = None  # a converter holds on to the last page's tree

    def on_build_error(self, **kwargs: Any) -> None:
        self._converter = None
