"""What Pagefind indexes of each page, taken from MkDocs before the theme writes the pages.

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

from generator.search.pagefind import Record
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

TAGS_PLUGINS = ("material/tags", "tags")


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
