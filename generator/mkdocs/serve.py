"""The fast path of ``mkdocs serve``: pages whose inputs did not change are not rendered again.

MkDocs rebuilds the whole site on every save; for 1,000 notes that is some
2,000 pages, most of them unchanged. The core already keeps what it parsed
and composed (``ParseCache``, ``Renderer.remember``); this keeps what MkDocs
made of each page, keyed by everything the page is made from:

1. ``BriefingPage.render`` asks ``reuse``: if the page's Markdown, metadata,
   path and inclusion are those of the last build (and the site-wide key
   below is the same), the last build's table of contents, title and
   anchors are put back instead of converting the Markdown, and the page is
   pointed at an empty template, so the theme is not rendered either;
2. ``on_page_context``: the page's search entries of the last build are put
   back into Material's search index (``_search_entries``: the one place
   that knows Material's search internals, gated on the versions tested);
3. ``on_post_page``: the page is written exactly as the last build wrote it.

Pages that did change go through MkDocs as usual, and what it makes of them
is kept for the next build (``generator.pagecache``).

The site-wide key covers what a page depends on beyond its own inputs: the
list of files (links between pages resolve against it), the navigation
(every page shows it), ``mkdocs.yml`` and the theme's templates. When it
changes (a note added, deleted or renamed, a week entering the navigation,
a configuration edit) the next build renders everything, as MkDocs would.
The cache turns itself off (and says so once) for a build whose pages could
depend on each other in ways it cannot see: plugins other than those it
knows, hooks, tag listings.
"""

from __future__ import annotations

import gc
import os
import threading
from pathlib import Path
from typing import Any

import jinja2

from generator.pagecache import Entry, PageCache, fingerprint, pack_data, pack_text, unpack_data, unpack_text
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date

log = get_plugin_logger("briefing")
NAME = "briefing/serve-cache"
EMPTY_TEMPLATE = "briefing/reused-page.html"
# Plugins whose pages depend only on their own inputs (and the site-wide key).
KNOWN_PLUGINS = frozenset({"briefing", NAME, "search", "material/search", "tags", "material/tags"})
# Material versions whose search index internals (SearchIndex.entries) this was tested with.
MATERIAL_SEARCH_TESTED = ("9.7", "9.8")
# A reused page gets back the title MkDocs took from its rendered <h1>, which MkDocs keeps in a
# private attribute; only on the MkDocs versions this was tested with (on others the cache stays off).
MKDOCS_PAGE_TESTED = ("1.6",)
RENDERED_TITLE = "_title_from_render"


def _tested(distribution: str, versions: tuple[str, ...]) -> bool:
    try:
        from importlib.metadata import version

        return version(distribution).startswith(versions)
    except Exception:
        return False


LAST = -1000  # after every other plugin's hook
FIRST = 1000


def _nav_key(items: list[Any]) -> list[object]:
    return [
        (item.title, _nav_key(item.children)) if isinstance(item, Section) else (type(item).__name__, item.title, item.url)
        for item in items
    ]


def _config_key(config: MkDocsConfig) -> object:
    # Absolute: ProperDocs names the config file as given on the first build and by its full path on rebuilds.
    files = [os.path.abspath(config.config_file_path) if config.config_file_path else ""]
    for folder in config.theme.dirs[:2]:  # the site's custom_dir and the package's templates
        if os.path.isdir(folder) and "site-packages" not in folder:
            files += sorted(str(p) for p in Path(folder).rglob("*") if p.is_file())
    return [(f, os.stat(f).st_mtime_ns, os.stat(f).st_size) if os.path.isfile(f) else f for f in files]


def _search_entries(config: MkDocsConfig) -> list[dict[str, Any]] | None:
    """Material's search index entries, which the cache must keep whole; None when there is no such index.

    Material keeps them in ``SearchIndex.entries``, a list it appends to in
    ``on_page_context``; that is not a documented API, so this is used only on
    the Material versions it was tested with (on others the cache stays off).
    """
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None:
        return None
    tested = _tested("mkdocs-material", MATERIAL_SEARCH_TESTED)
    entries = getattr(getattr(search, "search_index", None), "entries", None)
    return entries if tested and isinstance(entries, list) else None


class CompiledTemplates(jinja2.BytecodeCache):
    """The theme's templates as Jinja compiled them, kept between rebuilds.

    MkDocs makes a new template environment for every build, so every rebuild
    compiled the theme's forty-odd templates again (a fifth of a second). Jinja
    checks each entry against its template's source, so an edited template is
    compiled anew; a change to the environment itself (its extensions, a
    theme option that adds one) forgets them all.
    """

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._settings: object = None

    def attach(self, env: jinja2.Environment) -> None:
        settings = (sorted(env.extensions), env.autoescape, env.block_start_string, env.variable_start_string)
        if settings != self._settings:
            self._code.clear()
            self._settings = settings
        env.bytecode_cache = self

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


class IdleCollector:
    """Collects garbage while the server waits for the next save, and sets what survives aside.

    Every rebuild ran one full garbage collection (a quarter of a second at
    1,000 notes), walking everything the caches keep for the next build.
    Collected once while the server is idle, what survives is frozen
    (``gc.freeze``): a rebuild's collections then see only the objects it made.
    Each idle collection unfreezes first, so what earlier builds left behind
    is freed all the same.
    """

    DELAY = 0.5  # seconds after a build: the live reload has reached the browser

    def __init__(self) -> None:
        self._timer: threading.Timer | None = None

    def schedule(self) -> None:
        self.cancel()
        self._timer = threading.Timer(self.DELAY, self._collect)
        self._timer.daemon = True
        self._timer.start()

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    @staticmethod
    def _collect() -> None:
        gc.unfreeze()
        gc.collect()
        gc.freeze()


class ServeCache(BasePlugin):  # type: ignore[type-arg, no-untyped-call]
    """Reuses, under ``mkdocs serve``, what MkDocs made of pages whose inputs did not change."""

    def __init__(self) -> None:
        self.cache = PageCache()
        self.active = False
        self.reused: dict[str, Entry] = {}
        self.made: dict[str, dict[str, Any]] = {}
        self.entries: list[dict[str, Any]] | None = None
        self.off_because: str | None = None
        self.files: Files | None = None
        self.titles: object = None
        self.templates = CompiledTemplates()
        self.collector = IdleCollector()

    def configure(self, config: MkDocsConfig) -> None:
        """Join the build as a plugin of its own (its hooks run after every other plugin's)."""
        config.plugins[NAME] = self

    def start(self, files: Files, config: MkDocsConfig, titles: object) -> None:
        """A build begins; ``titles`` are the navigation's titles, which MkDocs knows only once pages are read."""
        self.files = files
        self.titles = titles

    def _unsafe(self, config: MkDocsConfig, files: Files) -> str | None:
        """Why pages of this build might depend on each other beyond the site-wide key, or None."""
        unknown = sorted(set(config.plugins) - KNOWN_PLUGINS)
        if unknown:
            return f"plugin {unknown[0]}"
        if not _tested("mkdocs", MKDOCS_PAGE_TESTED):
            return "a version of MkDocs whose pages this was not tested with"
        if ("search" in config.plugins or "material/search" in config.plugins) and _search_entries(config) is None:
            return "a version of Material's search this was not tested with"
        tags = config.plugins.get("material/tags") or config.plugins.get("tags")
        options = getattr(tags, "config", None)
        if options is not None and options.get("enabled", True) and options.get("listings", True):  # noqa: SIM102
            if options.get("tags_file") or options.get("tags_extra_files"):
                return "tag listings"
        return None

    @event_priority(LAST)
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.reused, self.made = {}, {}
        reason = self._unsafe(config, files)
        if reason:
            if reason != self.off_because:
                log.info(f"every page is rendered again on each rebuild: {reason}")
            self.active, self.off_because = False, reason
            self.entries = None
            self.cache.clear()
            return nav
        self.active, self.off_because = True, None
        self.entries = _search_entries(config)
        file_list = [(f.src_uri, f.dest_uri, f.inclusion.value) for f in files]
        self.cache.start(fingerprint(_config_key(config), file_list, _nav_key(nav.items), self.titles))
        return nav

    # -- called by BriefingPage --------------------------------------------------------------

    def reuse(self, page: Page) -> bool:
        """Put back what the last build made of ``page`` if its inputs are the same; True if so."""
        if not self.active:
            return False
        uri = page.file.src_uri
        key = fingerprint(uri, page.file.dest_uri, page.file.inclusion.value, page.markdown, page.meta)
        entry = self.cache.get(uri, key)
        if entry is None:
            self.made[uri] = {"key": key}
            return False
        self.reused[uri] = entry
        extra = entry.extra
        page.content = ""  # not needed: the written page and its search entries come from the cache
        page.toc = extra["toc"]
        setattr(page, RENDERED_TITLE, extra["title"])
        page.present_anchor_ids = extra["anchors"]
        if extra["links"] is not None and self.files is not None:  # by path: File objects are made anew each build
            targets = {u: self.files.src_uris.get(u) for u in extra["links"]}
            page.links_to_anchors = {f: extra["links"][u] for u, f in targets.items() if f is not None}
        page.meta["template"] = EMPTY_TEMPLATE  # the theme is not rendered for it
        return True

    def rendered(self, page: Page) -> None:
        """Keep what MkDocs made of a page it converted, for the next build."""
        made = self.made.get(page.file.src_uri)
        if made is not None:
            links = page.links_to_anchors
            made["extra"] = {
                "toc": page.toc,
                "title": getattr(page, RENDERED_TITLE, None),
                "anchors": page.present_anchor_ids,
                "links": None if links is None else {f.src_uri: a for f, a in links.items()},
            }

    # -- plugin events -----------------------------------------------------------------------

    @event_priority(LAST)
    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> jinja2.Environment:
        self.templates.attach(env)
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
            self.cache.put(uri, Entry(made["key"], pack_text(output), pack_data(made.get("search", [])), made["extra"]))
        return output

    # The theme's own pages (404.html, sitemap.xml) depend on the navigation and the files, and the date.
    @event_priority(LAST)
    def on_pre_template(self, template: jinja2.Template, *, template_name: str, config: MkDocsConfig) -> jinja2.Template:
        if self.active and template_name in config.theme.static_templates:
            name, key = "template:" + template_name, fingerprint(template_name, get_build_date())
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

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.collector.cancel()

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.active:
            self.cache.finish()
            log.info(f"rebuilt {self.cache.rendered} pages, reused {self.cache.reused} unchanged ones")
        self.reused, self.made = {}, {}
        self.collector.schedule()

    def on_shutdown(self) -> None:
        self.collector.cancel()

    def on_build_error(self, *, error: Exception) -> None:
        self.cache.clear()  # a half-finished build proves nothing about the next one
