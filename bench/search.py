"""Search as a reader meets it: ``python -m bench.search [--sizes 1000,3000] [--with-10k] [--runs 3]``.

For each corpus size N it writes the synthetic corpus (``bench.corpus``) as our
site and builds it three ways, from one ``briefings/`` folder:

- ``pagefind``: the shipped configuration (no Material search plugin): the
  briefing plugin indexes the built site with Pagefind (``generator.search``);
- ``material``: the lean Material index, the fallback: Material's search
  plugin, generated pages indexed by title and h2 headings only
  (``generator.search.material``), note pages whole, Chinese segmented with
  jieba (Material uses it when it is installed; its separator gets the
  zero-width space jieba's segments are joined with);
- ``none``: Material's search plugin disabled: no search at all, the floor
  both are measured against (the build-time cost of each design).

Each site is served on 127.0.0.1 under /briefings/ (its site_url's path), with
gzip for text types (HTML, CSS, JS, JSON, SVG, XML) as GitHub Pages serves
them; Pagefind's index files are gzip-compressed already and go as they are.
The server counts the bytes it sends. In Debian's Chromium (a fresh context,
so a cold cache, for every run) a reader opens a note page three levels deep,
clicks the search box right after the page has loaded and types the query
(60 ms between keys); we record the time from the last keystroke to the first
result rendered in Material's result list (both designs render into the same
DOM), on the desktop and with the CPU throttled 4x (CDP
``Emulation.setCPUThrottlingRate``); and, throttled, a query pasted at once as
the page has loaded (a cold start: nothing of the search loaded yet); and the
bytes the search cost: every
response that belongs to search (Pagefind's bundle and our search.js/css, or
Material's search_index.json, search worker and lunr languages), fetched from
the page load until the first result. Then the fixed multilingual query set
runs once per design and each check is met or not.

Prints a table and writes JSON (default ``bench/out/search.json``).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.corpus import SEED, Corpus, SyntheticNote, generate, write_sites
from generator.slugs import entity_slug

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
BIN = Path(sys.executable).parent
ENV = {"NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
MOUNT = "/briefings/"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESIGNS = ("pagefind", "material")
FIRST_QUERY = "Kunlun"  # the query
TYPING_DELAY_MS = 60
THROTTLE = 4
TEXT_TYPES = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
SEARCH_PATHS = re.compile(
    r"^(pagefind/|assets/briefing/search\.(js|css)$|search/search_index\.json$"
    r"|assets/javascripts/workers/search\.|assets/javascripts/lunr/)"
)
# Search's share of the build is a difference of two wall times a few per cent apart: five builds
# of each, interleaved, and their medians, or the machine's noise decides it.
BUILDS = 5
TARGETS = {"kB": 500, "desktop s": 1.0, "throttled s": 2.0, "index/build": 0.10}

# The search plugin block bench.corpus writes into every mkdocs.yml, and what each design makes of it.
_SEARCH_BLOCK = re.compile(r"  - search:\n(      .*\n)+")
_LEAN_SEPARATOR = "      separator: '[\\s\\u200b\\-,:!=\\[\\]()\"/''’]+|\\.(?!\\d)'\n"


def configs(mkdocs_yml: str) -> dict[str, str]:
    """The mkdocs.yml of each build, from the one bench.corpus wrote for our site (Pagefind: no search plugin)."""
    assert not _SEARCH_BLOCK.search(mkdocs_yml), "bench.corpus writes our site with Material's search plugin again"
    lean = "  - search:\n      lang: [en, fr]\n" + _LEAN_SEPARATOR
    plugins = "plugins:\n"
    return {
        "pagefind": mkdocs_yml,
        "material": mkdocs_yml.replace(plugins, plugins + lean, 1),
        "none": mkdocs_yml.replace(plugins, plugins + "  - search:\n      enabled: false\n", 1),
    }


# --- serving ---------------------------------------------------------------------


@dataclass
class Traffic:
    """Responses sent, as (path below the mount, bytes of the body as sent)."""

    sent: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, path: str, size: int) -> None:
        with self.lock:
            self.sent.append((path, size))

    def take(self) -> list[tuple[str, int]]:
        with self.lock:
            sent, self.sent = self.sent, []
        return sent


class _Handler(http.server.SimpleHTTPRequestHandler):
    traffic: Traffic
    cache: dict[Path, bytes]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if not path.startswith(MOUNT):
            self.send_error(404)
            return
        rel = path[len(MOUNT) :]
        file = Path(self.directory) / rel
        if file.is_dir():
            file = file / "index.html"
        if not file.is_file():
            self.send_error(404)
            return
        body = file.read_bytes()
        compress = file.suffix in TEXT_TYPES and "gzip" in self.headers.get("Accept-Encoding", "")
        if compress:
            if file not in self.cache:
                self.cache[file] = gzip.compress(body, 6)
            body = self.cache[file]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Length", str(len(body)))
        if compress:
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(body)
        self.traffic.add(rel, len(body))


@contextmanager
def serve(site_dir: Path) -> Iterator[tuple[str, Traffic]]:
    traffic = Traffic()
    handler = type("Handler", (_Handler,), {"traffic": traffic, "cache": {}})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site_dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{MOUNT}", traffic
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


# --- the browser -----------------------------------------------------------------------

# Installed before any page script: the time of the last keydown in the search box, and of the
# first change to the result list after it that leaves a result in it.
_PROBE = """
window.__bf = {last: 0, first: 0};
for (const type of ['keydown', 'input']) document.addEventListener(type, e => {
  if (e.target.classList && e.target.classList.contains('md-search__input')) { __bf.last = performance.now(); __bf.first = 0; }
}, true);
document.addEventListener('DOMContentLoaded', () => {
  const list = document.querySelector('.md-search-result__list');
  if (!list) return;
  new MutationObserver(() => {
    if (__bf.last && !__bf.first && list.querySelector('.md-search-result__item')) __bf.first = performance.now();
  }).observe(list, {childList: true, subtree: true});
});
"""


@dataclass(frozen=True)
class Query:
    seconds: float
    search_bytes: int
    page_bytes: int
    requests: int
    count: str


def first_query(browser: Any, base: str, traffic: Traffic, path: str, query: str, throttle: float, paste: bool = False) -> Query:
    """One reader: open ``path``, type ``query`` into the search box; time to the first result and bytes.

    With ``paste`` the query arrives at once, as the page's load event fires: nothing of the search
    is loaded yet, so the time includes all of it (a cold start, the worst case).
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    origin = base[: -len(MOUNT) + 1]
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort())
    context.add_init_script(_PROBE)
    try:
        page = context.new_page()
        if throttle > 1:
            context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        traffic.take()
        page.goto(base + path, wait_until="load")
        if paste:
            page.fill("input.md-search__input", query)
        else:
            page.click("input.md-search__input")
            page.keyboard.type(query, delay=TYPING_DELAY_MS)
        page.wait_for_function("window.__bf.first > 0", timeout=180_000, polling=50)
        seconds = page.evaluate("(window.__bf.first - window.__bf.last) / 1000")
        count = page.locator(".md-search-result__meta").inner_text()
        sent = traffic.take()
    finally:
        context.close()
    search = sum(size for rel, size in sent if SEARCH_PATHS.match(rel))
    return Query(seconds, search, sum(size for _, size in sent) - search, len(sent), count.strip())


def results(page: Any, query: str) -> list[tuple[str, str]]:
    """Type ``query`` (the box already open); the (path below the mount, title) of every result rendered."""
    box = page.locator("input.md-search__input")
    box.fill("")
    box.type(query, delay=10)
    # Material shows its placeholder again for a query it reduces to nothing (quotes alone), so wait for
    # the index to be ready, then let the last keystroke's search finish.
    page.wait_for_function(
        "q => document.querySelector('.md-search__input').value === q && "
        "!/Initializing/.test(document.querySelector('.md-search-result__meta').textContent)",
        arg=query,
        timeout=120_000,
    )
    # Then wait until the list has not changed for a second (Material's worker can lag behind the typing).
    page.wait_for_function(
        """() => {
          const now = document.querySelector('.md-search-result').innerText;
          const s = window.__bfSettle || (window.__bfSettle = {text: null, since: 0});
          if (s.text !== now) { s.text = now; s.since = performance.now(); return false; }
          return performance.now() - s.since > 1000;
        }""",
        timeout=120_000,
        polling=100,
    )
    # The first link of each item: Material lists a page's sections inside the page's item.
    found = page.locator(".md-search-result__item > a.md-search-result__link:first-child").evaluate_all(
        "links => links.map(a => [new URL(a.href).pathname, a.querySelector('h1, h2').textContent])"
    )
    return [(p.removeprefix(MOUNT), t.strip()) for p, t in found]


# --- the query set ---------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    name: str
    query: str
    expect: str  # what is checked, in words
    paths: tuple[str, ...] = ()  # the expected pages
    top: int = 3  # found within the first `top` results
    only: bool = False  # nothing else found


def _note_path(note: SyntheticNote) -> str:
    return "notes/" + note.rel.removesuffix(".md") + "/"


def _chinese(text: str) -> str:
    return text.rstrip("。")


def query_set(corpus: Corpus) -> list[Check]:
    """The fixed query set, picked from the corpus deterministically (the same seed gives the same checks)."""
    notes = sorted(corpus.notes, key=lambda n: n.rel)
    by_lang = {lang: [n for n in notes if n.source["language"] == lang and n.original_title] for lang in ("fr", "de", "zh")}
    checks: list[Check] = []
    name = "Kunlun P800" if "Kunlun P800" in corpus.entities else next(e for e in corpus.entities if " " in e)
    titled = [n for n in notes if n.title.startswith(name + " ")]
    checks.append(
        Check("en name", name, "a note with the name in its title first among notes", tuple(map(_note_path, titled)), 1)
    )
    titles = [n.title for n in notes]
    # A title no other title contains: "X confirms Y" and "X confirms Y, says Z" both hold the phrase.
    phrase = next(n for n in notes[len(notes) // 3 :] if sum(n.title in t for t in titles) == 1)
    checks.append(Check("en quoted title", f'"{phrase.title}"', "that note first", (_note_path(phrase),), 1))
    for lang, label in (("fr", "fr"), ("de", "de")):
        note = by_lang[lang][len(by_lang[lang]) // 2]
        title = (note.original_title or "").rstrip(".")
        checks.append(Check(f"{label} original title", f'"{title}"', "that note in the top 3", (_note_path(note),)))
    zh = by_lang["zh"][len(by_lang["zh"]) // 2]
    checks.append(Check("zh original title", _chinese(zh.original_title or ""), "that note in the top 3", (_note_path(zh),)))
    word = next(w for w in ("出口管制", "供应链", "数据中心") if any(w in (n.original_title or "") for n in by_lang["zh"]))
    with_word = [n for n in by_lang["zh"] if word in (n.original_title or "")]
    checks.append(Check("zh word", word, "a note with it in its original title in the top 3", tuple(map(_note_path, with_word))))
    elided = [n for n in notes if n.source["language"] == "fr" and "l'autosuffisance" in n.body]
    checks.append(
        Check("fr elision", "autosuffisance", "a note saying l'autosuffisance first", tuple(map(_note_path, elided)), 1)
    )
    once = notes[(2 * len(notes)) // 3]
    sentence = once.summary.split(". ", 1)[1].rstrip(".")
    checks.append(Check("note once", f'"{sentence}"', "only that note, once (not its briefings)", (_note_path(once),), 1, True))
    entity = corpus.entities[60]
    checks.append(Check("entity page", entity, "its entity page first", (f"entities/{entity_slug(entity)}/",), 1))
    checks.append(Check("topic page", "High-bandwidth memory", "the topic page in the top 3", ("topics/hbm-memory/",)))
    return checks


def run_checks(browser: Any, base: str, checks: list[Check]) -> list[dict[str, Any]]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    origin = base[: -len(MOUNT) + 1]
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort())
    page = context.new_page()
    page.goto(base)
    page.click("input.md-search__input")
    out = []
    try:
        for check in checks:
            found = results(page, check.query)
            paths = [p for p, _ in found]
            considered = [p for p in paths if p.startswith("notes/")] if check.name == "en name" else paths
            met = bool(set(considered[: check.top]) & set(check.paths)) and len(paths) == len(set(paths))
            if check.only:
                met = met and paths == list(check.paths)
            out.append({**asdict(check), "paths": list(check.paths)[:5], "met": met, "found": paths[:5], "count": len(paths)})
    finally:
        context.close()
    return out


# --- building --------------------------------------------------------------------------


@dataclass(frozen=True)
class Build:
    seconds: float
    index_seconds: float | None  # how long Pagefind ran, from the plugin's log line (mostly beside the build)
    site_mb: float
    index_mb: float


def build(site: Path, design: str, config: str) -> Build:
    yml = site / f"mkdocs-{design}.yml"
    yml.write_text(config, encoding="utf-8")
    out = site.parent / f"site-{design}"
    start = time.perf_counter()
    done = subprocess.run(
        [str(BIN / "mkdocs"), "build", "-f", str(yml), "--site-dir", str(out)],
        cwd=site,
        env={**os.environ, **ENV},
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"mkdocs build ({design}) failed:\n{done.stderr[-3000:]}")
    logged = re.search(r"search: indexed \d+ pages in ([\d.]+) s", done.stderr)
    index_dir = {"pagefind": out / "pagefind", "material": out / "search"}.get(design)
    index_mb = sum(p.stat().st_size for p in index_dir.rglob("*") if p.is_file()) / 1e6 if index_dir else 0.0
    site_mb = sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) / 1e6
    return Build(seconds, float(logged.group(1)) if logged else None, site_mb, index_mb)


def measure(n: int, work: Path, runs: int, builds: int, browser: Any) -> dict[str, Any]:
    print(f"\n== search, {n} notes", flush=True)
    corpus = generate(n, SEED)
    site = write_sites(corpus, work / f"search-n{n}")["ours"]
    variants = configs((site / "mkdocs.yml").read_text(encoding="utf-8"))
    built: dict[str, list[Build]] = {name: [] for name in variants}
    for index in range(builds):
        # Interleaved, so a noisy neighbour hits all alike, and in the reverse order every other
        # round, so a machine that slows down (or speeds up) over the run favours none of them.
        order = list(variants.items()) if index % 2 == 0 else list(reversed(variants.items()))
        for name, config in order:
            result = build(site, name, config)
            built[name].append(result)
            print(f"  [{index + 1}/{builds}] build {name:9} {result.seconds:6.1f} s  index {result.index_mb:6.2f} MB", flush=True)
    note = next(p for p in sorted(corpus.notes, key=lambda x: x.rel) if p.source["language"] == "en")
    path = _note_path(note)
    checks = query_set(corpus)
    entry: dict[str, Any] = {"notes": n, "page": path, "query": FIRST_QUERY, "designs": {}}
    none_seconds = statistics.median(b.seconds for b in built["none"])
    for design in DESIGNS:
        these = built[design]
        seconds = statistics.median(b.seconds for b in these)
        report: dict[str, Any] = {
            "build_seconds": seconds,
            "build_seconds_no_search": none_seconds,
            # Each round's build with search against the same round's without, the median of those:
            # the machine's drift between rounds cancels out of each ratio.
            "search_share_of_build": statistics.median(
                mine.seconds / none.seconds - 1 for mine, none in zip(these, built["none"], strict=True)
            ),
            "index_mb": these[-1].index_mb,
            "site_mb": these[-1].site_mb,
        }
        if design == "pagefind":
            inner = [b.index_seconds for b in these if b.index_seconds is not None]
            # Pagefind runs beside MkDocs on the other core, so its own time is not what it costs:
            # the cost is the whole build's wall time against the build without search.
            report["index_seconds"] = statistics.median(inner)
        with serve(site.parent / f"site-{design}") as (base, traffic):
            first_query(browser, base, traffic, path, FIRST_QUERY, 1)  # warm the server's gzip cache and the OS
            for label, throttle, paste in (
                ("desktop", 1.0, False),
                ("throttled", float(THROTTLE), False),
                ("pasted throttled", float(THROTTLE), True),
            ):
                measured = [first_query(browser, base, traffic, path, FIRST_QUERY, throttle, paste) for _ in range(runs)]
                best = sorted(measured, key=lambda q: q.seconds)[len(measured) // 2]
                report[label] = {
                    "seconds": statistics.median(q.seconds for q in measured),
                    "runs": [q.seconds for q in measured],
                    "search_bytes": best.search_bytes,
                    "page_bytes": best.page_bytes,
                    "requests": best.requests,
                    "count": best.count,
                }
                print(
                    f"  {design:9} {label:16} {report[label]['seconds']:6.2f} s  search {best.search_bytes / 1e3:8.1f} kB"
                    f"  page {best.page_bytes / 1e3:7.1f} kB  ({best.count})",
                    flush=True,
                )
            report["checks"] = run_checks(browser, base, checks)
        met = sum(c["met"] for c in report["checks"])
        print(f"  {design:9} query set: {met}/{len(checks)} met", flush=True)
        for check in report["checks"]:
            if not check["met"]:
                print(f"      not met: {check['name']} {check['query']!r}: found {check['found']}", flush=True)
        entry["designs"][design] = report
    return entry


# --- reporting -------------------------------------------------------------------------


def table(results: list[dict[str, Any]]) -> str:
    head = (
        "| notes | design | index MB | build s | search % of build | first-query kB (gzip) | desktop s | 4× throttled s"
        " | pasted, 4× s | query set |"
    )
    lines = [head, "|" + "|".join(["---:", "---", *["---:"] * 8]) + "|"]
    for entry in results:
        for design, r in entry["designs"].items():
            met = sum(c["met"] for c in r["checks"])
            share = r["search_share_of_build"]
            cells = [
                f"{entry['notes']:,}",
                design,
                f"{r['index_mb']:.2f}",
                f"{r['build_seconds']:.1f}",
                f"{100 * share:+.1f} %",
                f"{r['desktop']['search_bytes'] / 1e3:,.0f}",
                f"{r['desktop']['seconds']:.2f}",
                f"{r['throttled']['seconds']:.2f}",
                f"{r['pasted throttled']['seconds']:.2f}" if "pasted throttled" in r else "—",
                f"{met}/{len(r['checks'])}",
            ]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(results: list[dict[str, Any]]) -> list[str]:
    lines = []
    for entry in results:
        n = entry["notes"]
        r = entry["designs"].get("pagefind")
        if not r:
            continue
        kb = r["desktop"]["search_bytes"] / 1e3
        rows = [
            ("first-query kB", kb, TARGETS["kB"], n >= 3000),
            ("desktop s", r["desktop"]["seconds"], TARGETS["desktop s"], True),
            ("4x throttled s", r["throttled"]["seconds"], TARGETS["throttled s"], True),
            ("index/build", r["search_share_of_build"], TARGETS["index/build"], True),
        ]
        for name, value, target, applies in rows:
            if applies:
                lines.append(
                    f"{'met    ' if value <= target else 'NOT MET'} pagefind {name} at {n}: {value:.2f} (target <= {target})"
                )
        met = sum(c["met"] for c in r["checks"])
        lines.append(f"{'met    ' if met == len(r['checks']) else 'NOT MET'} pagefind query set at {n}: {met}/{len(r['checks'])}")
    return lines


def run_all(sizes: list[int], work: Path, runs: int, builds: int) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            return [measure(n, work, runs, builds, browser) for n in sizes]
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,3000", help="comma-separated corpus sizes (default 1000,3000)")
    parser.add_argument("--with-10k", action="store_true", help="add a 10,000-note corpus")
    parser.add_argument("--runs", type=int, default=3, help="readers per measurement; the median is kept (default 3)")
    parser.add_argument("--builds", type=int, default=BUILDS, help=f"builds per design; the median is kept (default {BUILDS})")
    parser.add_argument("--work", type=Path, default=OUT / "work", help="where the corpora and built sites go")
    parser.add_argument("--json", type=Path, default=OUT / "search.json", help="where to write the results")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.with_10k and 10_000 not in sizes:
        sizes.append(10_000)
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    found = run_all(sizes, args.work, args.runs, args.builds)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    report = {"started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)), "seed": SEED, "results": found}
    args.json.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(table(found))
    print()
    print("\n".join(verdicts(found)))
    print(f"\nJSON: {args.json}")


if __name__ == "__main__":
    main()
