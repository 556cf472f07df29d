"""The MkDocs plugin ``briefing``: writes the core's ``Site`` into MkDocs' build.

- ``on_config``: the site's settings for the core; the package's theme
  templates (404 page, ``<head>`` additions) behind the site's own
  ``custom_dir``; the stylesheet; ``attr_list``, which the generator's
  headings use for their ids.
- ``on_files``: builds the site and hands MkDocs every page as a
  ``BriefingPage`` (``generator.mkdocs.pages``) whose Markdown and metadata
  come from the core, and every generated file (stylesheet, feeds); removes
  what the core does not publish (rejected notes, drafts outside
  ``mkdocs serve``, ledes, which show inside other pages); sets the navigation
  unless ``mkdocs.yml`` has one; logs every problem, so ``--strict`` fails.
- the search hooks hand over to ``generator.mkdocs.search.SiteSearch``
  (Pagefind's index, made beside the build; or Material's search, fed a lean index).
- ``generator.mkdocs.guards`` keeps MkDocs from walking a link out of the docs
  folder (or around itself), from writing through a link out of the site
  folder (``--dirty``), and lets SIGTERM stop ``mkdocs serve`` as Ctrl-C does;
  the options and the core's view of the configuration are in ``generator.mkdocs.config``.

Under ``mkdocs serve`` the plugin object lives across rebuilds and keeps the
parse cache and the renderer, so a rebuild parses and composes only what
changed; ``generator.mkdocs.serve`` reuses what MkDocs made of unchanged pages.
"""

from __future__ import annotations

import html
import logging
import posixpath
from pathlib import Path
from typing import Any

from generator import parallel, paths
from generator.build import build
from generator.loader import ParseCache
from generator.mkdocs import guards, search, serve
from generator.mkdocs.config import BriefingConfig, site_config
from generator.mkdocs.pages import BriefingPage
from generator.problems import Severity
from generator.render import Renderer
from generator.settings import Options
from generator.site import NavItem, Site
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page as MkDocsPage

log = get_plugin_logger("briefing")


class BriefingPlugin(BasePlugin[BriefingConfig]):  # type: ignore[no-untyped-call]
    def __init__(self) -> None:
        self.serving = False
        # Defining on_startup keeps this object alive across `mkdocs serve` rebuilds,
        # so unchanged notes are not parsed again nor pages composed again.
        self.cache = ParseCache()
        self.renderer: Renderer | None = None
        self.site: Site | None = None
        self.serve_cache: serve.ServeCache | None = None
        self.search = search.SiteSearch()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.serving = command == "serve"
        if self.serving:
            guards.stop_on_sigterm()
        self.search = search.SiteSearch(serving=self.serving, dirty=dirty)
        self.serve_cache = serve.ServeCache() if self.serving and not dirty else None

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        if (walk_problem := guards.docs_walk_problem(Path(config.docs_dir))) is not None:  # MkDocs walks it next
            raise PluginError(walk_problem)
        self.core_config = site_config(config, self.config)
        # `--quiet` sets MkDocs' logger past warnings, so a strict build counted none of ours and published
        # a site `briefing check` fails (a rejected note left out, exit 0). Strict makes every warning a
        # failure: ours are always said, and counted.
        strict_level = min(logging.WARNING, logging.getLogger("mkdocs").getEffectiveLevel())
        log.logger.setLevel(strict_level if config.strict else logging.NOTSET)
        # MkDocs has checked the options' types already, but takes true for a number: the core's own check
        # (as `briefing check` makes it) says so, and a strict build fails on it as check does.
        for problem in Options.checked(dict(self.config), Path(config.config_file_path or "mkdocs.yml").name, {})[1]:
            log.warning(str(problem))
        if self.serving:  # one Renderer for every rebuild: unchanged pages are not composed again
            self.renderer = Renderer.reuse(self.renderer, self.core_config)
        else:
            self.renderer = Renderer(self.core_config)
        # The package's templates go right after the site's own custom_dir, before the theme's.
        theme_dirs = config.theme.dirs
        position = 1 if config.theme.custom_dir else 0
        theme_dir = str(Path(__file__).resolve().parent.parent / "theme")
        if theme_dir not in theme_dirs:
            theme_dirs.insert(position, theme_dir)
        config.theme.static_templates.add("404.html")
        if paths.STYLESHEET not in config.extra_css:
            config.extra_css.append(paths.STYLESHEET)
        if "attr_list" not in config.markdown_extensions:  # the generator's headings carry {#id}
            config.markdown_extensions.append("attr_list")
        # No web fonts: Material would load them from Google on every page view, telling a third
        # party who reads what. The system's fonts are used instead (a site can self-host others).
        config.theme["font"] = False
        self.search.configure(config)
        if self.serve_cache is not None:
            self.serve_cache.configure(config)
        return config

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.renderer is not None
        cache = self.cache if self.serving else None  # one build needs no parsed files kept
        try:
            site = self.site = build(
                self.core_config, include_drafts=self.serving, cache=cache, renderer=self.renderer, explain_problems=self.serving
            )
        except OSError as exc:
            raise PluginError(f"briefing: cannot read the site: {exc}") from exc
        self._log_problems(site)
        if not self.serving:  # a one-off build needs every page: compose them on every core
            parallel.compose_all(site.pages, site.files)
        config.extra["briefing_head"] = site.head
        config.extra["briefing_problems"] = site.banner  # empty outside `mkdocs serve`
        published = {page.path for page in site.pages} | {f.path for f in site.files if not f.generated}
        generated = {f.path for f in site.files if f.generated}
        for file in list(files):
            # Of the docs dir's files, only what the core publishes stays: not ledes (they show inside
            # other pages), rejected notes, drafts outside serve, unsafe names, nor what a generated file replaces.
            if file.src_dir == config.docs_dir and (file.src_uri not in published or file.src_uri in generated):
                files.remove(file)
        in_nav = {item.path for item in _walk(site.nav)}
        for page in site.pages:
            existing = files.get_file_from_path(page.path)
            file = existing or File.generated(config, page.path, content="")
            if existing is None:
                files.append(file)
            file.inclusion = InclusionLevel.INCLUDED if page.path in in_nav else InclusionLevel.NOT_IN_NAV
            BriefingPage(page, file, config, self.serve_cache)
        for static in site.files:
            if static.generated:
                files.append(File.generated(config, static.path, content=static.data))
        if config.nav is None:
            config.nav = _mkdocs_nav(site.nav)
        if self.serve_cache is not None:  # every page shows the navigation: its titles are part of every page
            titles = [(page.path, page.title, page.nav_title) for page in site.pages if page.path in in_nav]
            self.serve_cache.start(files, config, titles)
        return files

    def _log_problems(self, site: Site) -> None:
        docs = site.config.docs_dir.name
        for problem in site.problems:
            left_out = problem.severity is Severity.ERROR and problem.path in site.corpus.rejected
            shown = str(problem).replace(problem.path, posixpath.normpath(f"{docs}/{problem.path}"), 1)
            if left_out:  # after a question ("did you mean ...?") a new sentence, else a clause
                shown += (
                    " The note is left out of the site." if shown.endswith(("?", ".")) else "; the note is left out of the site"
                )
            log.warning(shown)

    # Search (Pagefind, or Material's as the fallback): see generator.mkdocs.search.
    def on_page_content(self, html: str, *, page: MkDocsPage, config: MkDocsConfig, files: Files) -> str:
        return self.search.page_content(html, page)

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        if self.search.dirty:  # MkDocs writes over the last build, through any link in it
            for message in guards.clear_links_out(Path(config.site_dir)):
                log.warning(message)
        self.search.pre_build(config)

    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        self.search.pages_rendered(files, config)
        return env

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self.search.post_build(config)

    def on_build_error(self, *, error: Exception) -> None:
        self.search.build_failed()

    def on_shutdown(self) -> None:
        self.search.shutdown()

    def on_serve(self, server: Any, *, config: MkDocsConfig, builder: Any) -> Any:
        if self.renderer is not None:
            for folder in self.renderer.dirs[:1]:  # the site's own templates; the package's do not change
                if folder.is_dir():
                    server.watch(str(folder))
        return server


def _walk(items: tuple[NavItem, ...]) -> list[NavItem]:
    found = []
    for item in items:
        found.append(item)
        found += _walk(item.children)
    return found


def _mkdocs_nav(items: tuple[NavItem, ...]) -> list[Any]:
    """The navigation in mkdocs.yml's form. Titles are HTML: the theme places them as they are."""
    return [{html.escape(item.title): _mkdocs_nav(item.children) if item.children else item.path} for item in items]
