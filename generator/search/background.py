"""Index a site now, or in the background while a live server already serves the rebuilt pages.

Under ``mkdocs serve`` a rebuild should show the edited note at once; the
search index can follow a second or two later. ``Indexer.start`` runs
``index_site`` in a thread of its own when asked to. Before the next build
touches the site folder (MkDocs cleans it first), ``release_site`` calls the
run off: it returns as soon as the run no longer reads or writes the folder,
which is at once unless it is reading the pages or putting the bundle in
place. A save that comes while Pagefind works does not wait for the index of
a site that is about to change.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from generator.search.pagefind import IndexCancelled, IndexReport, SearchIndexError, index_site

Done = Callable[[IndexReport | SearchIndexError], None]


class Indexer:
    """At most one indexing run at a time, in the foreground or in a background thread."""

    def __init__(self) -> None:
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._site_lock = threading.Lock()  # held by a run while it reads or writes the site folder

    def start(self, site_dir: Path, done: Done, *, background: bool) -> None:
        """Index ``site_dir`` and hand the report, or the error, to ``done`` (which logs it); a cancelled run says nothing."""
        previous, cancel = self._thread, threading.Event()
        self._cancel = cancel

        def run() -> None:
            if previous is not None:  # called off already; let it end before Pagefind starts again
                previous.join()
            try:
                done(index_site(site_dir, cancelled=cancel.is_set, site_lock=self._site_lock))
            except SearchIndexError as error:
                done(error)
            except IndexCancelled:
                pass

        if background:
            self._thread = threading.Thread(target=run, name="bf-search-index", daemon=True)
            self._thread.start()
        else:
            self._thread = None
            run()

    def release_site(self) -> None:
        """Call off the running index, if any; return once it no longer touches the site folder."""
        self._cancel.set()
        with self._site_lock:  # a run inside a step that touches the site finishes or stops that step
            pass

    def wait(self) -> None:
        """Return once no indexing runs (its report handed over)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
