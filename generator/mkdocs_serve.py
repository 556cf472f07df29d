"""The fast path of ``mkdocs serve``: pages whose inputs did not change are not rendered again.

MkDocs rebuilds the whole site on every save; for 1,000 notes that is some
2,000 pages and, on a small machine, 15 seconds or more before an edit shows.
The ``briefing`` plugin adds this second plugin under ``mkdocs serve`` (never
to ``mkdocs build``, never with ``--dirty``). It runs after every other
plugin's hook, and for each page:

0. ``on_pre_page``: a source file whose modification time and size are those
   of the last build is not read and parsed again (its Markdown and metadata
   are kept, like the notes' in ``generator.loader.ParseCache``);

1. ``on_page_markdown``: digests the page's final Markdown, its metadata, its
   path and inclusion. If the last build made the page from the same digest
   (and the site-wide key below is the same), MkDocs is kept from converting
   it (the page's ``render`` does nothing, for this build only);
2. ``on_page_content``: puts back the table of contents, title and anchors of
   the last build (so links and anchors are checked as before), and points the
   page at an empty template, so the theme is not rendered;
3. ``on_page_context``: hides the page from the search plugin and appends the
   search entries it made last time instead, in the same place, so the search
   index is whole and the same as a full build's;
4. ``on_post_page``: writes the page exactly as the last build wrote it.

Pages that did change go through MkDocs as usual, and what it makes of them
is kept for the next build (``generator.pagecache``).

The site-wide key covers what a page depends on beyond its own inputs: the
list of files (links between pages resolve against it), the navigation
(every page shows it), ``mkdocs.yml`` and the theme's ``custom_dir``. When it
changes (a note added, deleted or renamed, a week entering the navigation,
a configuration edit) the next build renders everything, as MkDocs would.
The cache stays off for a build whose pages could depend on each other in
ways it cannot see: plugins other than ``search``, ``tags`` and ``briefing``
(and hooks), tag listings, or a navigation title taken from a page's content.
"""

from __future__ import annotations

import contextlib
import functools
import os
import pickle
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date

from generator import mkdocs_markdown
from generator.pagecache import Entry, PageCache, digest, pack_data, pack_text, unpack_data, unpack_text

log = get_plugin_logger("briefing")
NAME = "briefing/serve-cache"
EMPTY_TEMPLATE = "briefing/reused-page.html"
# Plugins whose pages depend only on their own inputs (and the site-wide key).
KNOWN_PLUGINS = frozenset({"briefing", NAME, mkdocs_markdown.NAME, "search", "material/search", "tags", "material/tags"})
LAST = -1000  # after every other plugin's hook
FIRST = 1000


def _render_nothing(page: Page, config: MkDocsConfig, files: Files) -> None:
    page.content = ""


def _read_again(page: Page, markdown: str, meta: bytes, config: MkDocsConfig) -> None:
    page.markdown, page.meta = markdown, unpack_data(meta)  # a copy each time: plugins change page.meta in place


def _mentions(file: File, text: str) -> bool:
    try:
        return text in file.content_string
    except (OSError, ValueError):  # unreadable: MkDocs will say so; assume the worst here
        return True


def _nav_key(items: list[Any]) -> list[object]:
    return [
        (item.title, _nav_key(item.children)) if isinstance(item, Section) else (type(item).__name__, item.title, item.url)
        for item in items
    ]


def _config_key(config: MkDocsConfig) -> object:
    files = [config.config_file_path or ""]
    custom = config.theme.custom_dir
    if custom and os.path.isdir(custom):
        files += sorted(str(p) for p in Path(custom).rglob("*") if p.is_file())
    return [(f, os.stat(f).st_mtime_ns, os.stat(f).st_size) if os.path.isfile(f) else f for f in files]


class ServeCache(BasePlugin):  # type: ignore[type-arg, no-untyped-call]
    """Reuses, under ``mkdocs serve``, what MkDocs made of pages whose inputs did not change."""

    def __init__(self) -> None:
        self.cache = PageCache()
        self.active = False
        self.reused: dict[str, Entry] = {}
        self.made: dict[str, dict[str, Any]] = {}
        self.entries: list[dict[str, Any]] | None = None  # Material's search index, when there is one
        self.sources: dict[str, tuple[int, int, str, bytes]] = {}  # path: mtime, size, Markdown, packed meta
        self.unread: dict[str, tuple[str, int, int]] = {}
        self.files: Files | None = None
        self.off_because: str | None = None

    def _unsafe(self, config: MkDocsConfig, nav: Navigation, files: Files) -> str | None:
        """Why pages of this build might depend on each other beyond the site-wide key, or None."""
        unknown = sorted(set(config.plugins) - KNOWN_PLUGINS)
        if unknown:
            return f"plugin {unknown[0]}"
        if any("title" not in vars(page) for page in nav.pages):
            return "a navigation title comes from a page's content"
        tags = config.plugins.get("material/tags") or config.plugins.get("tags")
        options = getattr(tags, "config", None)
        if options is not None and options.get("enabled", True) and options.get("listings", True):
            if options.get("tags_file") or options.get("tags_extra_files"):
                return "tag listings"
            directive = f"<!-- {options.get('listings_directive', 'material/tags')}"
            if any(_mentions(file, directive) for file in files.documentation_pages()):
                return "tag listings"
        return None

    @event_priority(LAST)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.reused, self.made = {}, {}
        reason = self._unsafe(config, nav, files)
        if reason:
            if reason != self.off_because:
                log.info(f"every page is rendered again on each rebuild: {reason}")
            self.active, self.off_because = False, reason
            self.entries = None
            self.cache.clear()
            self.sources.clear()
            return nav
        self.active, self.off_because = True, None
        self.files, self.unread = files, {}
        search = config.plugins.get("material/search")
        entries = getattr(getattr(search, "search_index", None), "entries", None)
        self.entries = entries if isinstance(entries, list) else None
        file_list = [(f.src_uri, f.dest_uri, f.inclusion.value) for f in files]
        self.cache.start(digest(_config_key(config), file_list, _nav_key(nav.items)))
        return nav

    @event_priority(FIRST)
    def on_pre_page(self, page: Page, *, config: MkDocsConfig, files: Files) -> Page:
        """A source file unchanged since the last build is not read and its front matter not parsed again."""
        path = page.file.abs_src_path
        if not self.active or path is None:  # generated pages are made in memory: nothing to read
            return page
        try:
            stat = os.stat(path)
        except OSError:
            return page
        found = self.sources.get(path)
        if found is not None and found[:2] == (stat.st_mtime_ns, stat.st_size):
            page.read_source = functools.partial(_read_again, page, found[2], found[3])  # type: ignore[method-assign]
        else:
            self.unread[page.file.src_uri] = (path, stat.st_mtime_ns, stat.st_size)
        return page

    @event_priority(FIRST)
    def _read(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if (unread := self.unread.pop(page.file.src_uri, None)) is not None:
            path, mtime, size = unread
            # Metadata that cannot be copied (pickled) is not kept: the file is read each time.
            with contextlib.suppress(pickle.PicklingError, TypeError, AttributeError):
                self.sources[path] = (mtime, size, markdown, pack_data(page.meta))
        return markdown

    @event_priority(LAST)
    def _digest(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not self.active:
            return markdown
        uri = page.file.src_uri
        key = digest(uri, page.file.dest_uri, page.file.inclusion.value, markdown, page.meta)
        entry = self.cache.get(uri, key)
        if entry is not None:
            self.reused[uri] = entry
            # Nothing to convert: on_page_content puts back the last build's HTML. (MkDocs would
            # still make a Markdown converter with every extension for the page: a fifth of a rebuild.)
            page.render = functools.partial(_render_nothing, page)  # type: ignore[method-assign]
        else:
            self.made[uri] = {"key": key}
        return markdown

    on_page_markdown = CombinedEvent(_read, _digest)

    @event_priority(LAST)
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        uri = page.file.src_uri
        if (entry := self.reused.get(uri)) is not None:
            extra = entry.extra
            page.toc = extra["toc"]
            page._title_from_render = extra["title"]
            page.present_anchor_ids = extra["anchors"]
            if extra["links"] is not None:  # by path: File objects are made anew each build
                targets = {u: files.src_uris.get(u) for u in extra["links"]}
                page.links_to_anchors = {f: extra["links"][u] for u, f in targets.items() if f is not None}
            page.meta["template"] = EMPTY_TEMPLATE
            # The HTML itself is not needed: the search entries and the written page come from the
            # cache, and no plugin that runs with this one reads another page's content.
            return ""
        if (made := self.made.get(uri)) is not None:
            links = page.links_to_anchors
            made["extra"] = {
                "toc": page.toc,
                "title": page._title_from_render,
                "anchors": page.present_anchor_ids,
                "links": None if links is None else {f.src_uri: a for f, a in links.items()},
            }
        return html

    @event_priority(LAST)
    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        if self.active:
            env.loader = jinja2.ChoiceLoader([env.loader, jinja2.DictLoader({EMPTY_TEMPLATE: ""})])  # type: ignore[list-item]
        return env

    @event_priority(FIRST)
    def _before_search(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        uri = page.file.src_uri
        if self.entries is not None:
            if uri in self.reused:
                page.meta["search"] = {"exclude": True}  # the search plugin skips it; its entries come below
            elif (made := self.made.get(uri)) is not None:
                made["search_from"] = len(self.entries)
        return context

    @event_priority(LAST)
    def _after_search(self, context: Any, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        uri = page.file.src_uri
        if self.entries is not None:
            if (entry := self.reused.get(uri)) is not None:
                self.entries.extend(unpack_data(entry.search))
            elif (made := self.made.get(uri)) is not None and "search_from" in made:
                made["search"] = self.entries[made["search_from"] :]
        return context

    on_page_context = CombinedEvent(_before_search, _after_search)

    @event_priority(LAST)
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        uri = page.file.src_uri
        if (entry := self.reused.get(uri)) is not None:
            return unpack_text(entry.output)
        made = self.made.get(uri)
        if made is not None and "extra" in made and (self.entries is None or "search" in made):
            search = made.get("search", [])
            self.cache.put(uri, Entry(made["key"], pack_text(output), pack_data(search), made["extra"]))
        return output

    # The theme's own pages (404.html, sitemap.xml) depend on the navigation and the files, and the date.
    @event_priority(LAST)
    def on_pre_template(self, template: jinja2.Template, *, template_name: str, config: MkDocsConfig) -> jinja2.Template:
        if self.active and template_name in config.theme.static_templates:
            name, key = "template:" + template_name, digest(template_name, get_build_date())
            entry = self.cache.get(name, key)
            if entry is not None:
                self.reused[name] = entry
                return template.environment.from_string("")
            self.made[name] = {"key": key}
        return template

    @event_priority(LAST)
    def on_post_template(self, output: str, *, template_name: str, config: MkDocsConfig) -> str:
        name = "template:" + template_name
        if (entry := self.reused.get(name)) is not None:
            return unpack_text(entry.output)
        if (made := self.made.get(name)) is not None:
            self.cache.put(name, Entry(made["key"], pack_text(output), b""))
        return output

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.active:
            self.cache.finish()
            built = {f.abs_src_path for f in self.files.documentation_pages()} if self.files is not None else set()
            self.sources = {path: source for path, source in self.sources.items() if path in built}
            log.info(f"rebuilt {self.cache.rendered} pages, reused {self.cache.reused} unchanged ones")
        self.reused, self.made = {}, {}

    def on_build_error(self, *, error: Exception) -> None:
        self.cache.clear()  # a half-finished build proves nothing about the next one
