"""``BriefingPage``: an MkDocs page whose Markdown and metadata come from the core's ``Page``.

MkDocs lets a plugin give a file its own ``Page`` object (``File.page``) in
``on_files``; Material's blog plugin does the same for its posts. Ours reads
its source from the core instead of the disk (the core has sanitised and
composed it), and renders it faster:

- a page's Markdown is headings and blocks of finished HTML
  (``generator.blocks``). Python-Markdown passes such blocks through
  unchanged, but only after parsing every tag of them again, which was the
  largest part of a build. So the page renders its headings with MkDocs'
  own converter (ids, permalinks, table of contents as usual) and splices the
  blocks in: the same HTML, without the parse. Should another plugin have
  changed the Markdown, or a block not come back where it went, the page is
  rendered the ordinary way;
- under ``mkdocs serve``, it is rendered only when its inputs changed
  (``generator.mkdocs.serve``).
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING

from generator import blocks, site
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
        if not (self.markdown == self.core.markdown and self._render_spliced(config, files)):
            super().render(config, files)
        if cache is not None:
            cache.rendered(self)
        else:  # a one-off build needs the page's blocks no more: MkDocs keeps the HTML until it writes the page
            self.core.__dict__.pop("blocks", None)

    def _render_spliced(self, config: MkDocsConfig, files: Files) -> bool:
        """Render the headings, splice the HTML blocks in; False (nothing changed) if a block went missing."""
        token = f"bfblock{secrets.token_hex(6)}x"
        markdown, spliced = blocks.skeleton(self.core.blocks, token)
        full = self.markdown
        self.markdown = markdown
        try:
            super().render(config, files)
        finally:
            self.markdown = full
        parts = re.split(rf"<p>{token}(\d+)</p>", self.content or "")
        if len(parts) != 2 * len(spliced) + 1 or [int(n) for n in parts[1::2]] != list(range(len(spliced))):
            return False
        parts[1::2] = spliced
        self.content = "".join(parts)
        return True
