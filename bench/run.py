"""The benchmark runner: ``python -m bench.run [--sizes 1000,3000] [--shapes narrow,wide] [--with-10k] [--repeat 3] [--no-search]``.

For each corpus shape (``bench.corpus.SHAPES``: ``narrow``, ours, 4 topics and
200 entities; ``wide``, 8 topics, half the notes in two, 60 busier entities)
and size N it writes the synthetic corpus as three sites and measures, as
medians of whole-process runs (a fresh child process each time, the variants
interleaved so that a noisy neighbour hits them alike):

(a) the generator's own time (``bench.tasks generator``: load, validate,
    assemble, compose every page and feed; no MkDocs) and ``briefing export``
    of the whole site, against the floor of reading every note and parsing its
    front matter with PyYAML's C loader (``bench.tasks floor``);
(b) ``mkdocs build`` of our site (Pagefind indexing included), of the same
    notes as Material blog posts, and (narrow shape) as plain MkDocs pages in
    the automatic navigation; at 1,000 notes also ``properdocs build`` of our
    site and ``zensical build`` of its export (``--no-engines`` skips them);
(c) the peak memory of each of those children: of its largest process (max RSS,
    from ``os.wait4``, as GNU ``time`` reports it) and of all its processes at
    once (``bench.memory``: Pagefind and forked workers run beside the build);
(d) under ``mkdocs serve --livereload`` of our site, the time from saving an
    edited note (its summary becomes a unique token) until the note's
    topic-week briefing is served with the token, polled over HTTP;
(e) then search as a reader meets it, Pagefind against the lean Material
    index (``bench.search``; ``--no-search`` skips it).

The machine is shared, so absolute seconds wander; the ratios, taken within
one run, are the result. It prints a table and writes everything as JSON
(default ``bench/out/latest.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import typing
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import SEED, SHAPES, Corpus, SyntheticNote, generate, note_path, write_sites
from bench.memory import TreePeak
from generator.weeks import IsoWeek

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONUTF8": "1"}
VARIANTS = ("ours", "blog", "plain")
DOCS_DIRS = {"ours": "briefings", "blog": "docs", "plain": "docs"}
# As `make serve` runs it: the temporary site folder in memory where there is some (see the Makefile).
SERVE_ENV = {**ENV, "TMPDIR": os.environ.get("TMPDIR") or ("/dev/shm" if os.access("/dev/shm", os.W_OK) else "")}
MOUNT = "/briefings/"  # the path of site_url in the bench sites' mkdocs.yml

TARGETS = {
    "gen/floor": 2.0,
    "export/floor": 3.0,
    "ours/blog": 0.8,
    "t(3000)/t(1000)": 3.3,
    "mem ours/blog": 1.3,
    "serve edit s": 2.0,
}
ENGINE_SIZE = 1000  # the corpus size the other engines are timed on


@dataclass(frozen=True)
class Run:
    """One child process: wall seconds, peak memory in MB, exit code, what it printed.

    ``max_rss_mb`` is the kernel's peak of its largest process; ``tree_mb`` the peak of all its
    processes at once (``bench.memory``), which is more when Pagefind or workers run beside it.
    """

    seconds: float
    max_rss_mb: float
    returncode: int
    stdout: str
    warnings: int
    tree_mb: float = float("nan")


def run_child(command: list[str], cwd: Path, timeout: float = 3600) -> Run:
    """Run ``command`` to the end; peak memory from the kernel's rusage and from sampling its processes."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, env=ENV, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        memory = TreePeak(child.pid)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.005)
        seconds = time.perf_counter() - start
        tree_mb = memory.stop()
        child.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait for it again
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace")
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} (in {cwd}) failed with {child.returncode}:\n{stderr[-3000:]}")
    warnings = len(re.findall(r"^WARNING", stderr, re.MULTILINE))
    return Run(seconds, usage.ru_maxrss / 1024, child.returncode, stdout, warnings, tree_mb)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _engine_commands(site: Path, work: Path) -> dict[str, list[list[str]]]:
    """The other engines, each as the commands one build takes (ProperDocs: the plugin; Zensical: export, then build)."""
    commands: dict[str, list[list[str]]] = {}
    if (BIN / "properdocs").is_file():
        commands["properdocs"] = [
            [str(BIN / "properdocs"), "build", "-f", "mkdocs.yml", "--site-dir", str(work / "site-properdocs")]
        ]
    if (BIN / "zensical").is_file():
        project = work / "zensical-project"
        commands["zensical"] = [
            [str(BIN / "briefing"), "export", str(project), "--engine", "zensical"],
            [str(BIN / "zensical"), "build", "--clean", "-f", str(project / "mkdocs.yml")],
        ]
    return commands


def measure_size(
    shape: str, n: int, work: Path, repeat: int, plain_limit: int, serve_edits: int, engines: bool
) -> dict[str, object]:
    print(f"\n== {shape}, {n} notes: writing the corpus", flush=True)
    corpus = generate(n, SEED, SHAPES[shape])
    base = work / f"{shape}-n{n}"
    sites = write_sites(corpus, base)
    result: dict[str, object] = {"notes": n, "shape": shape}

    variants = [v for v in VARIANTS if v != "plain" or (n <= plain_limit and shape == "narrow")]
    others = _engine_commands(sites["ours"], base) if engines and n == ENGINE_SIZE else {}
    runs: dict[str, list[Run]] = {name: [] for name in ("floor", "generator", "export", *variants, *others)}
    for index in range(repeat):
        for task in ("floor", "generator"):
            run = run_child([sys.executable, "-m", "bench.tasks", task, str(sites["ours"] / "briefings")], REPO)
            runs[task].append(run)
            detail = json.loads(run.stdout)
            print(f"  [{index + 1}/{repeat}] {task:10} {run.seconds:7.2f} s  (in-process {detail['seconds']:.2f} s)", flush=True)
        out = base / "export"
        shutil.rmtree(out, ignore_errors=True)  # a first export, every file written (a second writes nothing)
        run = run_child([str(BIN / "briefing"), "export", str(out)], sites["ours"])
        runs["export"].append(run)
        print(f"  [{index + 1}/{repeat}] {'export':10} {run.seconds:7.2f} s  {run.max_rss_mb:6.0f} MB", flush=True)
        for variant in variants:
            site_dir = base / f"site-{variant}"
            run = run_child([str(BIN / "mkdocs"), "build", "--site-dir", str(site_dir)], sites[variant])
            runs[variant].append(run)
            print(
                f"  [{index + 1}/{repeat}] {variant:10} {run.seconds:7.2f} s  {run.max_rss_mb:6.0f} MB"
                f" ({run.tree_mb:.0f} MB at once)  {run.warnings} warnings",
                flush=True,
            )
        for engine, commands in others.items():
            steps = [run_child(command, sites["ours"]) for command in commands]
            total = Run(
                sum(r.seconds for r in steps),
                max(r.max_rss_mb for r in steps),
                0,
                "",
                sum(r.warnings for r in steps),
                max(r.tree_mb for r in steps),
            )
            runs[engine].append(total)
            parts = " + ".join(f"{r.seconds:.2f}" for r in steps)
            print(f"  [{index + 1}/{repeat}] {engine:10} {total.seconds:7.2f} s  ({parts})", flush=True)

    for name, these in runs.items():
        if not these:
            continue
        result[name] = {
            "seconds": median([r.seconds for r in these]),
            "max_rss_mb": median([r.max_rss_mb for r in these]),
            "tree_mb": median([r.tree_mb for r in these]),
            "runs": [r.seconds for r in these],
            "warnings": these[-1].warnings,
        }
        if name in ("floor", "generator"):
            inner = [json.loads(r.stdout)["seconds"] for r in these]
            result[name]["in_process_seconds"] = median(inner)  # type: ignore[index]
            result[name]["report"] = json.loads(these[-1].stdout)  # type: ignore[index]
    pages = {v: sum(1 for _ in (base / f"site-{v}").rglob("index.html")) for v in variants}
    result["html_pages"] = pages
    if serve_edits:
        result["serve"] = measure_serve(corpus, sites["ours"], serve_edits)
    return result


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.read().decode("utf-8", "replace")  # type: ignore[no-any-return]
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _edit_targets(corpus: Corpus, count: int) -> list[SyntheticNote]:
    """Notes spread over the corpus, newest and oldest included (editors mostly touch recent weeks)."""
    ordered = sorted(corpus.notes, key=lambda note: (note.date, note.rel))
    picks = [ordered[-1], ordered[len(ordered) // 2], ordered[len(ordered) // 5], ordered[-7], ordered[0]]
    return [picks[i % len(picks)] for i in range(count)]


def measure_serve(corpus: Corpus, site: Path, edits: int) -> dict[str, object]:
    """Edit notes under ``mkdocs serve``; time from the save until the briefing page shows the edit."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}{MOUNT}"
    with tempfile.TemporaryFile() as log:
        return _serve(corpus, site, edits, port, base, log)


def _serve(corpus: Corpus, site: Path, edits: int, port: int, base: str, log: typing.BinaryIO) -> dict[str, object]:
    command = [str(BIN / "mkdocs"), "serve", "--livereload", "-a", f"127.0.0.1:{port}"]
    start = time.perf_counter()
    server = subprocess.Popen(command, cwd=site, env=SERVE_ENV, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    originals: dict[Path, bytes] = {}
    latencies: list[float] = []
    try:
        while _get(base) is None:
            if server.poll() is not None or time.perf_counter() - start > 1800:
                log.seek(0)
                raise RuntimeError("mkdocs serve did not start:\n" + log.read().decode("utf-8", "replace")[-3000:])
            time.sleep(0.2)
        startup = time.perf_counter() - start
        print(f"  serve: first build served after {startup:.1f} s", flush=True)
        time.sleep(1.0)  # let the watcher settle
        for index, note in enumerate(_edit_targets(corpus, edits)):
            path = note_path(site, note)
            original = originals.setdefault(path, path.read_bytes())
            token = f"benchtoken{index}x{time.time_ns()}"
            text = re.sub(
                r"^summary: .*$",
                f"summary: Edited for the benchmark {token}.",
                original.decode("utf-8"),
                count=1,
                flags=re.MULTILINE,
            )
            url = base + f"weeks/{IsoWeek.of(note.date).label}/{note.topics[0]}/"
            path.write_bytes(text.encode("utf-8"))
            saved = time.perf_counter()
            while True:
                page = _get(url)
                if page is not None and token in page:
                    break
                if time.perf_counter() - saved > 600:
                    raise RuntimeError(f"the edit of {path} never showed up at {url}")
                time.sleep(0.05)
            latencies.append(time.perf_counter() - saved)
            print(f"  serve: edit {index + 1}/{edits} ({note.rel}) visible after {latencies[-1]:.2f} s", flush=True)
            time.sleep(1.0)  # let the rebuild finish its post-build work before the next save
    finally:
        for path, data in originals.items():
            path.write_bytes(data)
        # MkDocs shuts down cleanly on Ctrl-C and removes its temp dir (after the rebuild the restored
        # notes started: a while at 3,000 notes); a bench started in the background by a shell without
        # job control passes SIGINT on ignored, so SIGTERM follows.
        for stop, patience in ((lambda: server.send_signal(signal.SIGINT), 60), (server.terminate, 20), (server.kill, None)):
            stop()
            try:
                server.wait(timeout=patience)
                break
            except subprocess.TimeoutExpired:
                continue
    return {"startup_seconds": startup, "edit_seconds": median(latencies), "edits": latencies}


def _key(entry: dict[str, object]) -> str:
    return f"{entry['shape']} {entry['notes']}"


def _seconds(entry: dict[str, object], name: str) -> float:
    value = entry.get(name)
    return value["seconds"] if isinstance(value, dict) else float("nan")


def _rss(entry: dict[str, object], name: str, measure: str = "max_rss_mb") -> float:
    """Peak memory in MB: of the largest process (``max_rss_mb``), or of all at once (``tree_mb``)."""
    value = entry.get(name)
    return float(value.get(measure, float("nan"))) if isinstance(value, dict) else float("nan")


def ratios(results: list[dict[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for entry in results:
        out[_key(entry)] = {
            "gen/floor": _seconds(entry, "generator") / _seconds(entry, "floor"),
            "export/floor": _seconds(entry, "export") / _seconds(entry, "floor"),
            "ours/blog": _seconds(entry, "ours") / _seconds(entry, "blog"),
            "ours/plain": _seconds(entry, "ours") / _seconds(entry, "plain"),
            "mem ours/blog": _rss(entry, "ours") / _rss(entry, "blog"),
            "mem at once ours/blog": _rss(entry, "ours", "tree_mb") / _rss(entry, "blog", "tree_mb"),
        }
    for shape in sorted({str(entry["shape"]) for entry in results}):
        by_n = {entry["notes"]: entry for entry in results if entry["shape"] == shape}
        if 1000 in by_n and 3000 in by_n:
            out[f"{shape} t(3000)/t(1000)"] = {
                name: _seconds(by_n[3000], name) / _seconds(by_n[1000], name) for name in ("generator", "export", *VARIANTS)
            }
    return out


RATIO_COLUMNS = ("gen/floor", "export/floor", "ours/blog", "ours/plain", "mem ours/blog", "mem at once ours/blog")


def _fmt(value: object, digits: int = 2) -> str:
    if isinstance(value, float):
        return "—" if value != value else f"{value:.{digits}f}"
    return str(value)


def table(results: list[dict[str, object]], summary: dict[str, object]) -> str:
    """The results as a Markdown table (absolute seconds and MB, then the ratios)."""
    head = (
        "| shape | notes | pages | floor s | generator s | export s | ours s | blog s | plain s | ours MB | blog MB"
        " | ours MB at once | blog MB at once | serve edit s |"
        " gen/floor | export/floor | ours/blog | ours/plain | mem ours/blog | mem at once ours/blog |"
    )
    lines = [head, "|" + "|".join(["---:"] * (head.count("|") - 1)) + "|"]
    for entry in results:
        r = summary[_key(entry)]
        serve = entry.get("serve")
        cells = [
            str(entry["shape"]),
            f"{entry['notes']:,}",
            _fmt(entry["html_pages"].get("ours", float("nan"))),  # type: ignore[attr-defined]
            _fmt(_seconds(entry, "floor")),
            _fmt(_seconds(entry, "generator")),
            _fmt(_seconds(entry, "export")),
            _fmt(_seconds(entry, "ours"), 1),
            _fmt(_seconds(entry, "blog"), 1),
            _fmt(_seconds(entry, "plain"), 1),
            _fmt(_rss(entry, "ours"), 0),
            _fmt(_rss(entry, "blog"), 0),
            _fmt(_rss(entry, "ours", "tree_mb"), 0),
            _fmt(_rss(entry, "blog", "tree_mb"), 0),
            _fmt(serve["edit_seconds"] if isinstance(serve, dict) else float("nan")),
            *(_fmt(r[name]) for name in RATIO_COLUMNS),  # type: ignore[index]
        ]
        lines.append("| " + " | ".join(cells) + " |")
    for name, growth in summary.items():
        if name.endswith("t(3000)/t(1000)") and isinstance(growth, dict):
            lines.append("")
            lines.append(f"{name}: " + ", ".join(f"{n} {_fmt(value)}" for n, value in growth.items()))
    engines = [entry for entry in results if any(k in entry for k in ("properdocs", "zensical"))]
    if engines:
        lines += [
            "",
            "| shape | notes | MkDocs + plugin s | ProperDocs + plugin s | Zensical (export + build) s |",
            "|---|---:|---:|---:|---:|",
        ]
        for entry in engines:
            cells = [str(entry["shape"]), f"{entry['notes']:,}"]
            cells += [_fmt(_seconds(entry, name), 1) for name in ("ours", "properdocs", "zensical")]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def verdicts(results: list[dict[str, object]], summary: dict[str, object]) -> list[str]:
    """Each target of the build-speed issue, met or not, from this run."""
    lines = []
    for entry in results:
        key = _key(entry)
        r = summary[key]
        for name in ("gen/floor", "export/floor", "ours/blog", "mem ours/blog", "mem at once ours/blog"):
            if name == "export/floor" and entry["notes"] != 1000:
                continue
            value, target = r[name], TARGETS[name.replace(" at once", "")]  # type: ignore[index]
            verdict = "met    " if value <= target else "NOT MET"
            lines.append(f"{verdict} {name} at {key}: {value:.2f} (target <= {target})")
        serve = entry.get("serve")
        if isinstance(serve, dict) and entry["notes"] == 1000:
            value = serve["edit_seconds"]
            verdict = "met    " if value < TARGETS["serve edit s"] else "NOT MET"
            lines.append(f"{verdict} serve edit at {key}: {value:.2f} s (target < {TARGETS['serve edit s']} s)")
    for name, growth in summary.items():
        if name.endswith("t(3000)/t(1000)") and isinstance(growth, dict):
            value = growth["ours"]
            lines.append(f"{'met    ' if value <= 3.3 else 'NOT MET'} {name} of our build: {value:.2f} (target <= 3.3)")
    return lines


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,3000", help="comma-separated corpus sizes (default 1000,3000)")
    parser.add_argument("--with-10k", action="store_true", help="add a 10,000-note corpus (plain pages are skipped there)")
    parser.add_argument(
        "--repeat", type=int, default=3, help="whole-process runs per measurement; the median is kept (default 3)"
    )
    parser.add_argument("--serve-edits", type=int, default=None, help="note edits timed under mkdocs serve (default: --repeat)")
    parser.add_argument(
        "--plain-limit", type=int, default=3000, help="build plain pages only up to this many notes (default 3000)"
    )
    parser.add_argument("--shapes", default="narrow,wide", help="comma-separated corpus shapes (default narrow,wide)")
    parser.add_argument("--no-engines", action="store_true", help="skip ProperDocs and Zensical")
    parser.add_argument("--no-search", action="store_true", help="skip the search benchmark (bench.search)")
    parser.add_argument("--work", type=Path, default=OUT / "work", help="where the corpora and built sites go")
    parser.add_argument("--json", type=Path, default=OUT / "latest.json", help="where to write the results")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.with_10k and 10_000 not in sizes:
        sizes.append(10_000)
    edits = args.repeat if args.serve_edits is None else args.serve_edits
    args.work.mkdir(parents=True, exist_ok=True)
    started = time.time()
    shapes = [s.strip() for s in args.shapes.split(",") if s.strip()]
    results = [
        measure_size(shape, n, args.work, args.repeat, args.plain_limit, edits, not args.no_engines)
        for shape in shapes
        for n in sizes
    ]
    summary = ratios(results)
    report = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()},
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "minutes": (time.time() - started) / 60,
        "repeat": args.repeat,
        "seed": SEED,
        "results": results,
        "ratios": summary,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    print()
    print(table(results, summary))
    print()
    print("\n".join(verdicts(results, summary)))
    print(f"\nJSON: {args.json}")
    if not args.no_search:  # search as a reader meets it (issue 13): Pagefind against the lean Material index
        from bench import search

        found = search.run_all(sizes, args.work, runs=args.repeat, builds=search.BUILDS)
        path = args.json.with_name("search.json")
        path.write_text(json.dumps({"started": report["started"], "seed": SEED, "results": found}, indent=2) + "\n")
        print()
        print(search.table(found))
        print()
        print("\n".join(search.verdicts(found)))
        print(f"\nJSON: {path}")


if __name__ == "__main__":
    main()
