"""Index a built site folder with Pagefind (PyPI ``pagefind[extended]``), no engine involved.

``index_site(site_dir)`` reads the HTML a build wrote and writes Pagefind's
bundle to ``site_dir/pagefind/``: the loader, the WebAssembly search, and the
index split into fragments, so a reader's browser fetches only the chunks a
query needs. What gets indexed is decided by the pages themselves: the theme
(``generator/theme``) marks the part of each page to index with
``data-pagefind-body`` (a note's whole article; only the title and section
headings of a generated briefing, digest, topic or entity page), and pages
without it are left out.

Pagefind reads files, not strings, fast (its Python API's service answers one
message per 0.1 s, so adding pages one by one would take minutes). So each
marked page is written to a scratch folder, cut to the part Pagefind indexes (a tenth of the
page, which halves Pagefind's time), with its URL as the ``bf_url`` meta and
the text rewrites of ``generator.search.text``; Pagefind's command line indexes that folder. The site
folder gets only ``pagefind/``; the published pages are never changed.

``IndexRun`` is the other way in, for an engine that hands over each page's
marked part before it writes the pages (the MkDocs plugin does, once every
page's content is rendered and before the theme wraps each one): Pagefind then
works on a second core while the engine is still writing, and the bundle is
put in place when the build is done.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterable
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


@dataclass(frozen=True)
class Record:
    """One page as Pagefind indexes it, handed over by an engine before the page is written."""

    path: str  # the page's file below the site folder (``notes/a/index.html``)
    language: str  # its ``<html lang>``
    marked: str  # the element the theme marks, as the page will show it: ``<div data-pagefind-body>...</div>``


def _scratch_page(part: str, scratch: Path, number: int) -> bool:
    """Write one page to index into the scratch folder, rewritten where needed; whether it was."""
    rewritten = needs_rewrite(part)
    (scratch / f"{number:06d}.html").write_text(rewrite_html(part) if rewritten else part, encoding="utf-8")
    return rewritten


def _url_meta(url: str) -> str:
    return f'<meta data-pagefind-meta="{URL_META}[content]" content="{html.escape(url)}">'


def _html_files(site_dir: Path, bundle: Path) -> list[Path]:
    found = []
    for folder, dirs, names in os.walk(site_dir):
        if Path(folder) == site_dir:  # never index a bundle, old or new
            dirs[:] = [d for d in dirs if d != bundle.name and not d.startswith(f".{bundle.name}-")]
        found += [Path(folder, name) for name in names if name.endswith(".html")]
    # A page linked in from outside the site (another engine's output may hold links) is not the site's to index.
    root = site_dir.resolve()
    found = [path for path in found if not path.is_symlink() or path.resolve().is_relative_to(root)]
    return sorted(found, key=lambda path: _site_order(path.relative_to(site_dir).as_posix()))


def _site_order(path: str) -> tuple[str, ...]:
    """The order pages go to Pagefind in, by their path: it numbers them so, and the bundle depends on it."""
    return tuple(path.split("/"))


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
    meta = _url_meta(url)
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
        pages += 1
        rewritten += _scratch_page(part, scratch, pages)
    return pages, rewritten


def _run_pagefind(scratch: Path, output: Path) -> None:
    """Pagefind's command line over the scratch folder; returns once every file of the bundle is written.

    Not through its Python API: that stops Pagefind's process as soon as it answers that the files
    are written, and a file it was still writing was cut short (a 68 kB WebAssembly file left at
    24 kB, in about one build of twenty). The command line exits when it is done.
    """
    from pagefind.service import get_executable  # the binary of pagefind[extended], or PAGEFIND_BINARY_PATH

    binary = get_executable()
    if binary is None:
        raise RuntimeError("Pagefind's program is not installed: pip install 'pagefind[extended]'")
    command = [str(binary), "--site", str(scratch), "--output-path", str(output), "--silent"]
    command += [f"--exclude-selectors={selector}" for selector in EXCLUDE_SELECTORS]
    done = subprocess.run(command, capture_output=True, text=True, errors="replace", stdin=subprocess.DEVNULL, check=False)
    if done.returncode != 0:
        raise RuntimeError((done.stderr or done.stdout).strip()[-800:] or f"it exited with {done.returncode}")


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
            _run_pagefind(scratch, output)
        except (RuntimeError, OSError) as error:
            if cancelled():
                raise IndexCancelled from error
            raise SearchIndexError(f"Pagefind could not index {site_dir}: {error}") from error
        if not keep_unused:
            _drop_unused(output)
        with touching_site:
            if cancelled():
                raise IndexCancelled
            _install(output, bundle)
    return _report(bundle, pages, rewritten, start)


class IndexRun:
    """Pagefind indexing pages an engine hands over, in a thread of its own, while the engine writes the site.

    ``IndexRun(records, site_dir)`` returns at once; ``finish()``, once the engine has written the
    site, waits for Pagefind and puts the bundle in ``site_dir/pagefind/``. The records are the
    marked part of each page as the page shows it, so the index is the one ``index_site`` would
    write from the finished pages (``tests/test_search.py`` compares the two).

    Pagefind writes the bundle straight into a hidden folder of the site (``.pagefind-new``), on
    the site's own file system, so putting it in place is one rename: copying two thousand small
    files over from a scratch folder in memory took 1.7 s on this machine's disk.
    """

    def __init__(self, records: Iterable[Record], site_dir: Path, *, keep_unused: bool = False) -> None:
        self._started = time.perf_counter()
        # Taken now (the engine may change its pages while Pagefind works), in the order index_site reads them.
        self._records = sorted(records, key=lambda record: _site_order(record.path))
        self._bundle = Path(site_dir).resolve() / BUNDLE_DIR
        self._output = _incoming(self._bundle)
        self._keep_unused = keep_unused
        self._tmp = tempfile.TemporaryDirectory(prefix="bf-search-", dir=_scratch_root())
        self._stop = threading.Event()
        self._error: Exception | None = None
        self.pages = self.rewritten = 0
        self._thread = threading.Thread(target=self._index, name="bf-search-index", daemon=True)
        self._thread.start()

    def _index(self) -> None:
        scratch = Path(self._tmp.name, "pages")
        try:
            _yield_to_the_build()
            _remove(_outgoing(self._bundle))  # the last build's bundle, set aside by set_aside
            _remove(self._output)  # a run that died half-way
            scratch.mkdir()
            for record in self._records:
                if self._stop.is_set():
                    return
                page = (
                    f'<!doctype html><html lang="{html.escape(record.language)}"><head>{_url_meta(page_url(record.path))}</head>'
                )
                self.pages += 1
                self.rewritten += _scratch_page(f"{page}<body>{record.marked}</body></html>", scratch, self.pages)
            _run_pagefind(scratch, self._output)
        except Exception as error:  # anything: it is reported by finish(), on the build's thread
            self._error = error
        finally:
            self._tmp.cleanup()

    def finish(self) -> IndexReport:
        """Wait for Pagefind, then put the bundle in ``site_dir/pagefind/`` (replacing any there)."""
        self._thread.join()
        if self._error is None and not self._output.is_dir():
            self._error = RuntimeError("it wrote no bundle")
        if self._error is not None:
            _remove(self._output)
            site_dir = self._bundle.parent
            raise SearchIndexError(f"Pagefind could not index {site_dir}: {self._error}") from self._error
        if not self._keep_unused:
            _drop_unused(self._output)
        _install(self._output, self._bundle)
        return _report(self._bundle, self.pages, self.rewritten, self._started)

    def abandon(self) -> None:
        """Stop (the build failed): nothing is left; returns once Pagefind has let go of its files."""
        self._stop.set()
        self._thread.join()
        _remove(self._output)


def _yield_to_the_build() -> None:
    """Lower this thread's priority, and so that of the Pagefind process it starts (Linux: per thread, inherited).

    The build's own thread then keeps its core whenever Pagefind's threads would take it.
    """
    with contextlib.suppress(AttributeError, OSError):  # not on every platform; only a nicety
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def _drop_unused(output: Path) -> None:
    for name in UNUSED:
        (output / name).unlink(missing_ok=True)


def _report(bundle: Path, pages: int, rewritten: int, started: float) -> IndexReport:
    files = [p for p in bundle.rglob("*") if p.is_file()]
    languages = tuple(sorted(p.name.split(".")[1].split("_")[0] for p in bundle.glob("pagefind.*.pf_meta")))
    return IndexReport(
        pages=pages,
        rewritten=rewritten,
        languages=languages,
        files=len(files),
        bytes=sum(p.stat().st_size for p in files),
        seconds=time.perf_counter() - started,
    )


def set_aside(site_dir: Path) -> None:
    """Before a build cleans ``site_dir``: move the last bundle out of its way, under a hidden name
    the cleaning leaves alone (MkDocs skips dot-files), for the next ``IndexRun`` to delete beside the
    build instead of before it (two thousand small files: a second on this machine's disk)."""
    bundle = Path(site_dir) / BUNDLE_DIR
    if bundle.is_dir() and not bundle.is_symlink():
        _remove(_outgoing(bundle))
        bundle.rename(_outgoing(bundle))


def _incoming(bundle: Path) -> Path:
    """Where a new bundle waits beside the old one until it replaces it (same folder, so a rename)."""
    return bundle.with_name(f".{BUNDLE_DIR}-new")


def _outgoing(bundle: Path) -> Path:
    return bundle.with_name(f".{BUNDLE_DIR}-old")


def _remove(path: Path) -> None:
    """Delete a folder of ours, or a link put in its place (never what the link points to)."""
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def _install(output: Path, bundle: Path) -> None:
    """Put the new bundle in place of the old: moved next to it first (the scratch may be another
    file system; an ``IndexRun`` writes it there already), then renamed, so a reader never meets
    half a bundle."""
    new, old = _incoming(bundle), _outgoing(bundle)
    _remove(old)
    if output != new:
        _remove(new)
        shutil.move(output, new)
    if bundle.exists() or bundle.is_symlink():
        bundle.rename(old)
    new.rename(bundle)
    _remove(old)
