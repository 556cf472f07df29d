"""Notice when a site's files change: for ``briefing export --watch``, beside ``zensical serve``.

Polling, not a file-system notification library: a few thousand ``stat``
calls a second cost little, work the same on every system and in every
container, and need no dependency.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

from generator.settings import SiteConfig

Snapshot = dict[str, tuple[int, int]]


def watched_files(config: SiteConfig) -> Callable[[], Snapshot]:
    """A function giving every file of the site (docs dir, site templates, mkdocs.yml) with its mtime and size."""
    roots = [config.docs_dir, config.templates_dir]
    extra = [config.root / "mkdocs.yml"]

    def snapshot() -> Snapshot:
        found: Snapshot = {}
        for root in roots:
            for folder, dirs, names in os.walk(root):
                dirs[:] = [d for d in dirs if not d.startswith(".")]
                for name in names:
                    _add(found, os.path.join(folder, name))
        for path in extra:
            _add(found, str(path))
        return found

    return snapshot


def _add(found: Snapshot, path: str) -> None:
    try:
        stat = os.stat(path)
    except OSError:
        return
    found[path] = (stat.st_mtime_ns, stat.st_size)


def changes(snapshot: Callable[[], Snapshot], interval: float, sleep: Callable[[float], None] = time.sleep) -> Iterator[Snapshot]:
    """Yield each time the files differ from the last look (after they have been still for one interval)."""
    last = snapshot()
    while True:
        sleep(interval)
        now = snapshot()
        if now == last:
            continue
        # An editor's save can be several writes: wait until the files are still.
        while True:
            sleep(interval)
            settled = snapshot()
            if settled == now:
                break
            now = settled
        last = now
        yield now
