"""Compose a site's pages on every core at once, for one-off builds.

Pages are independent once the site is built (``Page.compose`` is pure), so a
writer that wants them all (``mkdocs build``, ``briefing export``) can have
them composed by worker processes forked from this one: they inherit the
site and the templates as they are, compose a share of the pages each, and
send back the finished blocks (plain strings). Composing is about a third of
a build; on two cores this halves it.

Only where it is safe and worth it: with ``fork`` (Linux), more than one
core, enough pages, and never inside a process that runs threads of its own
(``mkdocs serve`` serves while it rebuilds; it reuses unchanged pages instead).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections.abc import Sequence

from generator import blocks
from generator.site import Page, StaticFile

MIN_PAGES = 400  # below this, starting workers costs more than it saves
_JOBS: tuple[Page | StaticFile, ...] = ()  # what the forked workers compose, by index


def _compose(index: int) -> tuple[blocks.Block, ...] | bytes:
    job = _JOBS[index]
    return job.blocks if isinstance(job, Page) else job.data


def workers() -> int:
    """How many processes to compose with (1: compose here, one page after another)."""
    if sys.platform != "linux" or threading.active_count() > 1:
        return 1
    return min(os.cpu_count() or 1, 8)


def compose_all(pages: Sequence[Page], files: Sequence[StaticFile] = (), processes: int | None = None) -> None:
    """Compose every page (and generated file) now, in parallel where that pays; results stay on the objects."""
    global _JOBS
    count = processes or workers()
    jobs = tuple(pages) + tuple(f for f in files if f.generated)
    if count < 2 or len(pages) < MIN_PAGES:
        for job in jobs:
            _compose_here(job)
        return
    _JOBS = jobs
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            results = pool.map(_compose, range(len(jobs)), chunksize=max(len(jobs) // (count * 8), 1))
    finally:
        _JOBS = ()
    for job, result in zip(jobs, results, strict=True):
        # The same value composing here would have cached (cached_property keeps it in the instance dict).
        job.__dict__["blocks" if isinstance(job, Page) else "data"] = result


def _compose_here(job: Page | StaticFile) -> None:
    if isinstance(job, Page):
        job.blocks  # noqa: B018 - composed and cached on first use
    else:
        job.data  # noqa: B018
