"""The MkDocs plugin ``briefing``: a thin adapter from the core to MkDocs' build.

It adds the generated pages as virtual files, decorates note pages, builds a
short navigation (never one entry per note: Material renders the whole
navigation into every page, so that would make the build quadratic), and
reports every problem through the plugin logger so ``--strict`` fails on them.
It also writes the Atom feeds after the build and advertises them, with Open
Graph meta, in every page's ``<head>`` (built by ``generator.feeds`` and
``generator.meta``). Feeds need absolute links: without ``site_url`` there are
none, and one warning says so (so ``--strict`` fails).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

from generator import feeds, markup, meta, mkdocs_markdown, mkdocs_serve, render
from generator.build import Build, build
from generator.files import write_atomic
from generator.loader import ENTITIES_DIR, NOTES_DIR, TOPICS_DIR, WEEKS_DIR, ParseCache
from generator.model import Topic
from generator.problems import Severity
from generator.search import material as material_search
from generator.search.background import Indexer
from generator.search.pagefind import IndexReport

log = get_plugin_logger("briefing")
ASSETS = Path(__file__).resolve().parent / "assets"
THEME = Path(__file__).resolve().parent / "theme"  # search overrides: after the site's custom_dir, before Material
STYLESHEET = "assets/briefing/briefing.css"
DRAFT_BANNER = (
    '<div class="admonition warning bf-draft"><p class="admonition-title">Draft</p>'
    "<p>Not published: this note is shown only by <code>mkdocs serve</code>.</p></div>\n\n"
)


class BriefingConfig(base.Config):  # type: ignore[no-untyped-call]
    templates_dir = c.Type(str, default="templates")
    """Folder of the site's own templates (relative to mkdocs.yml); the shipped ones fill the gaps."""
    allow_raw_html = c.Type(bool, default=False)
    """Keep raw HTML in note bodies as written. Only for sites whose every note author is trusted."""
    recent_weeks = c.Type(int, default=8)
    """How many of the latest weeks the navigation lists (all weeks are on the 'All weeks' page)."""


class BriefingPlugin(BasePlugin[BriefingConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.serving = False
        self.serve_cache: mkdocs_serve.ServeCache | None = None
        self.converter = mkdocs_markdown.SharedConverter()
        # Defining on_startup keeps this object alive across `mkdocs serve`
        # rebuilds, so unchanged notes are not parsed again.
        self.cache = ParseCache()
        self.build: Build | None = None
        self.notes: dict[str, Any] = {}
        self.generated: dict[str, render.Page] = {}
        self.feed_settings: feeds.FeedSettings | None = None
        self.topic_pages: dict[str, Topic] = {}  # page path -> the topic whose feed it advertises
        self.pagefind = True  # index the built site with Pagefind (off when Material's search plugin is configured)
        self.indexer = Indexer()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        # Under `mkdocs serve`, pages whose inputs did not change are not rendered again (see mkdocs_serve).
        self.serve_cache = mkdocs_serve.ServeCache() if self.serving and not dirty else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        config.plugins[mkdocs_markdown.NAME] = self.converter  # one Markdown converter for every page
        if self.serve_cache is not None:
            config.plugins[mkdocs_serve.NAME] = self.serve_cache
        root = Path(config.config_file_path or ".").resolve().parent
        self.templates = root / self.config.templates_dir
        if self.serving:  # one Renderer for every rebuild: pages whose inputs did not change are not rendered again
            self.renderer = render.Renderer.reuse(getattr(self, "renderer", None), self.templates, self.config.allow_raw_html)
        else:
            self.renderer = render.Renderer(self.templates, allow_raw_html=self.config.allow_raw_html)
        config.extra_css.append(STYLESHEET)
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME))
        # Material's search plugin, when configured, is the fallback: then no Pagefind index.
        self.pagefind = "material/search" not in config.plugins and "search" not in config.plugins
        self.feed_settings = None
        if config.site_url:
            self.feed_settings = feeds.FeedSettings(
                config.site_url,
                config.site_name,
                config.site_description or "",
                str(config.theme.get("language") or "en"),
                config.use_directory_urls,
            )
        else:
            log.warning("no site_url in mkdocs.yml, so no feeds: they need absolute links (https://owner.github.io/repo/)")
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        docs_dir = Path(config.docs_dir)
        cache = self.cache if self.serving else None  # one build needs no parsed files kept
        self.build = result = build(docs_dir, self.renderer, include_drafts=self.serving, cache=cache)
        for problem in result.problems:
            left_out = problem.severity is Severity.ERROR and problem.path in result.corpus.rejected
            log.warning(f"{docs_dir.name}/{problem}" + ("; the note is left out of the site" if left_out else ""))
        self.notes = {note.path: note for note in result.corpus.notes}
        self.generated = {page.path: page for page in result.pages}
        self.topic_pages = feeds.topic_pages(result.site)
        for file in list(files):
            uri = file.src_uri
            # Editors' topic files and ledes become generated pages; see loader for entities/.
            ours = uri.endswith(".md") and uri.startswith((TOPICS_DIR + "/", WEEKS_DIR + "/", ENTITIES_DIR + "/"))
            if ours or (uri.startswith(NOTES_DIR + "/") and uri.endswith(".md") and uri not in self.notes):
                files.remove(file)  # rejected notes, and drafts outside `mkdocs serve`
        for page in result.pages:
            files.append(File.generated(config, page.path, content=page.markdown, inclusion=InclusionLevel.INCLUDED))
        files.append(File.generated(config, STYLESHEET, abs_src_path=str(ASSETS / "briefing.css")))
        if config.nav is None:
            config.nav = self._nav(result)
        return files

    def _nav(self, result: Build) -> list[Any]:
        site = result.site
        weeks: list[Any] = [
            {f"{d.week.label} · {d.week.range_label}": render.digest_path(d.week)}
            for d in site.digests[: self.config.recent_weeks]
        ]
        topics = [{html.escape(t.title): render.topic_path(t.slug)} for t in site.topics]
        return [
            {"Home": render.HOME_PATH},
            {"Weeks": [*weeks, {"All weeks": render.WEEKS_PATH}]},
            {"Topics": topics},
            {"Entities": render.ENTITIES_PATH},
        ]

    @event_priority(100)  # before Material's tags plugin reads page.meta
    def on_page_markdown(self, markdown: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        assert self.build is not None
        uri = page.file.src_uri
        note = self.notes.get(uri)
        generated = self.generated.get(uri)
        if note is not None:
            # MkDocs read the note's front matter itself; replace it with escaped values,
            # since Material places page.meta.title unescaped into the page.
            page.meta = {
                "title": html.escape(note.title),
                "description": html.escape(note.summary),
                "tags": [html.escape(tag) for tag in note.tags],
                "bf_search": "page",
            }
            header = self.renderer.note_header(note, self.build.site.topics)
            draft = DRAFT_BANNER if note.draft else ""
            return header + draft + markdown
        if generated is not None:
            page.meta = {
                "title": html.escape(generated.title),
                "description": html.escape(generated.description),
                "bf_search": "title",  # it repeats the notes' titles and summaries: index its title and headings only
            }
            if markdown == generated.markdown:  # MkDocs read a copy: keep one in memory, not two
                return generated.markdown
        if uri == render.HOME_PATH:
            page.meta.setdefault("bf_search", "page")
            return markdown.rstrip() + "\n\n" + self.renderer.home_section(self.build.site)
        return markdown

    def on_page_content(self, html_text: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        if not self.pagefind:  # Material's search plugin (the fallback): a lean index
            if page.meta.get("bf_search") == "title":
                html_text = material_search.title_only(html_text)
            elif page.meta.get("bf_search") == "none":
                page.meta["search"] = {"exclude": True}
        uri = page.file.src_uri
        if uri in self.notes:
            return html_text if self.config.allow_raw_html else markup.sanitize(html_text)
        if uri in self.generated or uri == render.HOME_PATH:
            return markup.mark_external_links(html_text)
        return html_text

    def on_post_page(self, output: str, *, page: MkDocsPage, config: MkDocsConfig) -> str:
        if not output:  # a page the serve cache writes as it was (mkdocs_serve)
            return output
        links: list[feeds.FeedLink] = []
        if self.feed_settings is not None:
            links.append(feeds.site_feed_link(self.feed_settings))
            if (topic := self.topic_pages.get(page.file.src_uri)) is not None:
                links.append(feeds.topic_feed_link(topic, self.feed_settings))
        return meta.insert_into_head(output, meta.head_html(links, self._open_graph(page, config)))

    def _open_graph(self, page: MkDocsPage, config: MkDocsConfig) -> meta.OpenGraph:
        uri = page.file.src_uri
        if (note := self.notes.get(uri)) is not None:
            title, description = note.title, note.summary
        elif (generated := self.generated.get(uri)) is not None:
            title, description = generated.title, generated.description
        else:  # the editor's own pages, whose title MkDocs holds as HTML
            title = config.site_name if page.is_homepage else meta.plain_text(page.title or config.site_name)
            description = meta.plain_text(str(page.meta.get("description") or config.site_description or ""))
        kind = "website" if page.is_homepage else "article"
        return meta.OpenGraph(title, description, config.site_name, page.canonical_url, kind)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        self.indexer.wait()  # MkDocs is about to clean site_dir: let the last rebuild's index finish

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.pagefind:  # writes only site_dir/pagefind/; under `mkdocs serve` while the new pages are served
            self.indexer.start(Path(config.site_dir), _search_logged, background=self.serving)
        if self.build is None or self.feed_settings is None:
            return
        for feed in feeds.build_feeds(self.build.site, self.feed_settings):
            write_atomic(Path(config.site_dir) / feed.path, feed.data)

    def on_shutdown(self) -> None:
        self.indexer.wait()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.templates.is_dir():
            server.watch(str(self.templates))
        return server


def _search_logged(result: IndexReport | Exception) -> None:
    if isinstance(result, Exception):
        log.warning(f"search: {result}")  # a failed index fails `mkdocs build --strict`
    else:
        log.info(f"search: indexed {result.pages} pages in {result.seconds:.1f} s ({result.bytes / 1e6:.1f} MB)")
