"""``BriefingPage``: an MkDocs page whose Markdown and metadata come from the core's ``Page``.

MkDocs lets a plugin give a file its own ``Page`` object (``File.page``) in
``on_files``; Material's blog plugin does the same for its posts. Ours reads
its source from the core instead of the disk (the core has sanitised and
composed it), and, under ``mkdocs serve``, renders only when its inputs
changed (``generator.mkdocs.serve``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from generator import site
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

if TYPE_CHECKING:
    from generator.mkdocs.serve import ServeCache


class BriefingPage(Page):
    """A page of the briefing site, as the core composed it."""

    def __init__(self, core: site.Page, file: File, config: MkDocsConfig, serve_cache: ServeCache | None = None) -> None:
        # A navigation title given here wins over the metadata's title in the navigation only;
        # the theme's <title> and Open Graph tags use the page's full title from the metadata.
        super().__init__(core.nav_title, file, config)
        self.core = core
        self.serve_cache = serve_cache

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = self.core.markdown
        self.meta = self.core.meta()

    def render(self, config: MkDocsConfig, files: Files) -> None:
        cache = self.serve_cache
        if cache is not None and cache.reuse(self):
            return
        super().render(config, files)
        if cache is not None:
            cache.rendered(self)
