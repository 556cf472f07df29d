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
written to a scratch folder, at the same path, cut to the part Pagefind
indexes (a tenth of the page, which halves Pagefind's time) and with the text
rewrites of ``generator.search.text``; Pagefind indexes that folder. The site
folder gets only ``pagefind/``; the published pages are never changed.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generator.search.text import needs_rewrite, rewrite_html

BUNDLE_DIR = "pagefind"
BODY_MARK = "data-pagefind-body"
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
        if Path(folder) == site_dir and bundle.name in dirs:
            dirs.remove(bundle.name)  # never index a previous bundle
        dirs.sort()
        for name in sorted(names):
            if name.endswith(".html"):
                yield Path(folder, name)


def _indexed_part(page: str) -> str:
    """The page as Pagefind needs it: its ``<html>`` tag (the language) and the marked part, not the theme around it.

    The theme puts the marked element inside the page's ``<article>``, so the part runs from the
    mark to ``</article>``; Pagefind then parses a tenth of each page. A page laid out otherwise
    is kept whole.
    """
    mark = page.index(BODY_MARK)
    start = page.rfind("<", 0, mark)
    end = page.find("</article>", mark)
    html = _HTML_TAG.search(page)
    if start < 0 or end < 0 or html is None:
        return page
    return f"<!doctype html>{html.group(0)}<body>{page[start:end]}</body></html>"


def _stage(site_dir: Path, scratch: Path, bundle: Path) -> tuple[int, int]:
    """Fill ``scratch`` with the pages to index, cut to their marked part and rewritten where needed.

    Returns:
        (pages, rewritten)
    """
    pages = rewritten = 0
    for path in _html_files(site_dir, bundle):
        data = path.read_bytes()
        if BODY_MARK.encode() not in data:
            continue
        part = _indexed_part(data.decode("utf-8", "replace"))
        if needs_rewrite(part):
            part = rewrite_html(part)
            rewritten += 1
        target = scratch / path.relative_to(site_dir)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(part, encoding="utf-8")
        pages += 1
    return pages, rewritten


async def _run_pagefind(scratch: Path, output: Path) -> None:
    from pagefind.index import PagefindIndex  # imported here: the package starts a binary

    config = {"output_path": str(output), "exclude_selectors": list(EXCLUDE_SELECTORS)}
    async with PagefindIndex(config=config) as index:  # type: ignore[arg-type]
        await index.add_directory(str(scratch))


def index_site(site_dir: Path, *, keep_unused: bool = False) -> IndexReport:
    """Index the built site in ``site_dir`` and write the bundle to ``site_dir/pagefind/``.

    Args:
        site_dir: a built site (MkDocs' ``site_dir``, or any engine's output) whose
            pages carry ``data-pagefind-body`` where they should be indexed.
        keep_unused: keep Pagefind's own UI files (the theme does not load them).

    Returns:
        What was indexed and written.

    Raises:
        SearchIndexError: when Pagefind fails; the bundle is then left as it was.
    """
    start = time.perf_counter()
    site_dir = Path(site_dir).resolve()
    bundle = site_dir / BUNDLE_DIR
    with tempfile.TemporaryDirectory(prefix="bf-search-") as tmp:
        scratch, output = Path(tmp) / "site", Path(tmp) / BUNDLE_DIR
        scratch.mkdir()
        pages, rewritten = _stage(site_dir, scratch, bundle)
        try:
            # A thread of its own: the caller may be running an event loop (Playwright's sync API does).
            with ThreadPoolExecutor(1, thread_name_prefix="pagefind") as pool:
                pool.submit(asyncio.run, _run_pagefind(scratch, output)).result()
        except Exception as error:  # the service reports failures as bare Exceptions
            raise SearchIndexError(f"Pagefind could not index {site_dir}: {error}") from error
        if not keep_unused:
            for name in UNUSED:
                (output / name).unlink(missing_ok=True)
        if bundle.exists():
            shutil.rmtree(bundle)
        shutil.move(str(output), bundle)
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
