"""Index a built site folder with Pagefind (PyPI ``pagefind[extended]``), no engine involved.

``index_site(site_dir)`` reads the HTML a build wrote and writes Pagefind's
bundle to ``site_dir/pagefind/``: the loader, the WebAssembly search, and the
index split into fragments, so a reader's browser fetches only the chunks a
query needs. What gets indexed is decided by the pages themselves: the theme
(``generator/theme``) marks the part of each page to index with
``data-pagefind-body`` (a note's whole article; only the title and section
headings of a generated briefing, digest, topic or entity page), and pages
without it are left out.

Pagefind reads files, not strings, fast (its service answers one message per
0.1 s, so adding pages one by one would take minutes). So each marked page is
written to a scratch folder, cut to the part Pagefind indexes (a tenth of the
page, which halves Pagefind's time), with its URL as the ``bf_url`` meta and
the text rewrites of ``generator.search.text``; Pagefind indexes that folder. The site
folder gets only ``pagefind/``; the published pages are never changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import os
import re
import shutil
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.search.text import needs_rewrite, rewrite_html

BUNDLE_DIR = "pagefind"
BODY_MARK = "data-pagefind-body"
URL_META = "bf_url"  # the page's URL path from the site root; the browser links to it
_HTML_TAG = re.compile(r"<html[\s>][^>]*>|<html>", re.IGNORECASE)
# Pagefind writes its own search UIs too; the theme uses only the JS API.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)
EXCLUDE_SELECTORS = (".headerlink",)  # the ¶ after every heading


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site (its message says why)."""


class IndexCancelled(Exception):
    """The run was called off (the site folder is about to change); the site is as it was."""


@dataclass(frozen=True)
class IndexReport:
    """What one ``index_site`` run did."""

    pages: int  # pages indexed (those marked with data-pagefind-body)
    rewritten: int  # of which rewritten for apostrophes or CJK text
    languages: tuple[str, ...]  # the index languages Pagefind wrote (from <html lang>)
    files: int  # files in the bundle
    bytes: int  # bytes in the bundle
    seconds: float


def _html_files(site_dir: Path, bundle: Path) -> Iterator[Path]:
    for folder, dirs, names in os.walk(site_dir):
        if Path(folder) == site_dir:  # never index a bundle, old or new
            dirs[:] = [d for d in dirs if d != bundle.name and not d.startswith(f".{bundle.name}-")]
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".html"):
                yield Path(folder, name)


def page_url(rel: str) -> str:
    """The URL path of a page file below the site root, as Pagefind would give it: ``notes/a/index.html`` -> ``/notes/a/``."""
    if rel == "index.html" or rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return "/" + urllib.parse.quote(rel, safe="/!$&'()*+,;=:@-._~")


def _indexed_part(page: str, url: str) -> str:
    """The page as Pagefind needs it: its ``<html>`` tag (the language), its URL, the marked part.

    The theme puts the marked element inside the page's ``<article>``, so the part runs from the
    mark to ``</article>``; Pagefind then parses a tenth of each page. A page laid out otherwise
    is kept whole. The URL goes in as the ``bf_url`` meta, which the browser links to.
    """
    meta = f'<meta data-pagefind-meta="{URL_META}[content]" content="{html.escape(url)}">'
    mark = page.index(BODY_MARK)
    start = page.rfind("<", 0, mark)
    end = page.find("</article>", mark)
    tag = _HTML_TAG.search(page)
    if start < 0 or end < 0 or tag is None:
        return page.replace("<head>", "<head>" + meta, 1) if "<head>" in page else meta + page
    return f"<!doctype html>{tag.group(0)}<head>{meta}</head><body>{page[start:end]}</body></html>"


def _stage(site_dir: Path, scratch: Path, bundle: Path, cancelled: Callable[[], bool]) -> tuple[int, int]:
    """Write the pages to index into ``scratch``, cut to their marked part and rewritten where needed.

    One flat folder (``00001.html``...), each page carrying its URL as meta: creating a folder per
    page costs more than all the rest on some file systems.

    Returns:
        (pages, rewritten)
    """
    pages = rewritten = 0
    for path in _html_files(site_dir, bundle):
        if cancelled():
            raise IndexCancelled
        data = path.read_bytes()
        if BODY_MARK.encode() not in data:
            continue
        part = _indexed_part(data.decode("utf-8", "replace"), page_url(path.relative_to(site_dir).as_posix()))
        if needs_rewrite(part):
            part = rewrite_html(part)
            rewritten += 1
        pages += 1
        (scratch / f"{pages:06d}.html").write_text(part, encoding="utf-8")
    return pages, rewritten


async def _run_pagefind(scratch: Path, output: Path) -> None:
    from pagefind.index import PagefindIndex  # imported here: the package starts a binary

    config = {"output_path": str(output), "exclude_selectors": list(EXCLUDE_SELECTORS)}
    async with PagefindIndex(config=config) as index:  # type: ignore[arg-type]
        await index.add_directory(str(scratch))


def _scratch_root() -> str | None:
    """Where the scratch pages go: memory (/dev/shm) where there is some, else the usual temp folder.

    Thousands of small files that live for a second: on a busy disk, creating them cost more
    than Pagefind's own work.
    """
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None


def _never() -> bool:
    return False


def index_site(
    site_dir: Path,
    *,
    keep_unused: bool = False,
    cancelled: Callable[[], bool] = _never,
    site_lock: contextlib.AbstractContextManager[object] | None = None,
) -> IndexReport:
    """Index the built site in ``site_dir`` and write the bundle to ``site_dir/pagefind/``.

    Args:
        site_dir: a built site (MkDocs' ``site_dir``, or any engine's output) whose
            pages carry ``data-pagefind-body`` where they should be indexed.
        keep_unused: keep Pagefind's own UI files (the theme does not load them).
        cancelled: asked between steps; once it says True the run stops and leaves
            the site as it was (``IndexCancelled``).
        site_lock: held while the run reads or writes ``site_dir`` (reading the
            pages, putting the bundle in place), never while Pagefind works, so a
            live server's next build waits for a moment, not for the whole index.

    Returns:
        What was indexed and written.

    Raises:
        SearchIndexError: when Pagefind fails; the bundle is then left as it was.
        IndexCancelled: when ``cancelled`` said so; nothing in the site changed.
    """
    start = time.perf_counter()
    site_dir = Path(site_dir).resolve()
    bundle = site_dir / BUNDLE_DIR
    touching_site: contextlib.AbstractContextManager[object] = site_lock if site_lock is not None else contextlib.nullcontext()
    with tempfile.TemporaryDirectory(prefix="bf-search-", dir=_scratch_root()) as tmp:
        scratch, output = Path(tmp, "pages"), Path(tmp, BUNDLE_DIR)
        scratch.mkdir()
        with touching_site:
            pages, rewritten = _stage(site_dir, scratch, bundle, cancelled)
        try:
            # A thread of its own: the caller may be running an event loop (Playwright's sync API does).
            with ThreadPoolExecutor(1, thread_name_prefix="pagefind") as pool:
                pool.submit(asyncio.run, _run_pagefind(scratch, output)).result()
        except Exception as error:  # the service reports failures as bare Exceptions
            if cancelled():
                raise IndexCancelled from error
            raise SearchIndexError(f"Pagefind could not index {site_dir}: {error}") from error
        if not keep_unused:
            for name in UNUSED:
                (output / name).unlink(missing_ok=True)
        with touching_site:
            if cancelled():
                raise IndexCancelled
            _install(output, bundle)
    files = [p for p in bundle.rglob("*") if p.is_file()]
    languages = tuple(sorted(p.name.split(".")[1].split("_")[0] for p in bundle.glob("pagefind.*.pf_meta")))
    return IndexReport(
        pages=pages,
        rewritten=rewritten,
        languages=languages,
        files=len(files),
        bytes=sum(p.stat().st_size for p in files),
        seconds=time.perf_counter() - start,
    )


def _install(output: Path, bundle: Path) -> None:
    """Put the new bundle in place of the old: copied next to it (the scratch may be another file
    system), then renamed, so a reader never meets half a bundle."""
    new, old = bundle.with_name(f".{BUNDLE_DIR}-new"), bundle.with_name(f".{BUNDLE_DIR}-old")
    for leftover in (new, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.move(output, new)
    if bundle.exists():
        bundle.rename(old)
    new.rename(bundle)
    shutil.rmtree(old, ignore_errors=True)
