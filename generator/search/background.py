"""Index a site now, or in the background while a live server already serves the rebuilt pages.

Under ``mkdocs serve`` a rebuild should show the edited note at once; the
search index can follow a second or two later. ``Indexer.start`` runs
``index_site`` in a thread of its own when asked to, and ``wait`` must be
called before the next build touches the site folder (MkDocs cleans it first).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from generator.search.pagefind import IndexReport, SearchIndexError, index_site

Done = Callable[[IndexReport | SearchIndexError], None]


class Indexer:
    """At most one indexing run at a time, in the foreground or in a background thread."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None

    def start(self, site_dir: Path, done: Done, *, background: bool) -> None:
        """Index ``site_dir`` and hand the report, or the error, to ``done`` (which logs it)."""
        self.wait()

        def run() -> None:
            try:
                done(index_site(site_dir))
            except SearchIndexError as error:
                done(error)

        if background:
            self._thread = threading.Thread(target=run, name="bf-search-index", daemon=True)
            self._thread.start()
        else:
            run()

    def wait(self) -> None:
        """Return once no indexing runs (call it before the site folder changes)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
