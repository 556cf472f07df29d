"""Every engine publishes the same site (spec section 9): page URLs, briefing text, links, safety, feeds.

Engines, each skipped cleanly when its executable is missing:

- ``mkdocs``: MkDocs 1.6 + Material + the ``briefing`` plugin, ``mkdocs build`` over ``mkdocs.yml``;
- ``properdocs``: ``properdocs build`` over the same ``mkdocs.yml``, the plugin unchanged. ProperDocs
  must be installed in the venv that has the plugin (it loads it through the ``mkdocs.plugins``
  entry point and aliases ``mkdocs.*`` imports to ``properdocs.*`` in its own process);
- ``zensical``: ``briefing export OUT`` writes a Markdown project, then ``zensical build`` in ``OUT``
  (Zensical runs no third-party plugin, so it may live in its own venv).

An executable is found through ``ENGINE_<NAME>`` (a path), else beside this Python, else on PATH.
``.ci/run`` installs all three (``pip install -e '.[properdocs,zensical]'``).

MkDocs is the reference: the other engines must publish what it publishes.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
from conftest import ENV, MKDOCS_YML, REPO, assert_only_left_out_warnings

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class ExportLayout:
    """Where `briefing export OUT --engine zensical` puts things, relative to OUT."""

    config: str  # the config file Zensical reads (it prefers zensical.toml over mkdocs.yml when both exist)
    docs: str  # the pages, feeds and stylesheet (Zensical accepts "." when the config excludes itself)
    site: str  # where `zensical build` writes; Zensical requires it inside OUT


# The one place the export layout is decided.
EXPORT_LAYOUT = ExportLayout(config="mkdocs.yml", docs="docs", site="site")

SITE_URL = "https://example.org/briefings/"  # a path prefix, like a GitHub project page
SHIPPED = ("mkdocs.yml", "briefings", "templates")
MAIN = re.compile(r"\bmd-content__inner\b")  # <article class="md-content__inner md-typeset">: Material and Zensical alike
BRIEFING_KINDS = {
    "digest": re.compile(r"^weeks/\d{4}-W\d{2}/$"),
    "briefing": re.compile(r"^weeks/\d{4}-W\d{2}/[^/]+/$"),
    "topic": re.compile(r"^topics/[^/]+/$"),
    "entity": re.compile(r"^entities/[^/]+/$"),
}
FEED_TYPES = ("application/atom+xml", "application/rss+xml")


# --- engines ----------------------------------------------------------------------


def _executable(name: str) -> Path | None:
    configured = os.environ.get(f"ENGINE_{name.upper()}")
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return beside
    found = shutil.which(name)
    return Path(found) if found else None


def _run(command: list[str], cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    # No SITE_URL: the shipped mkdocs.yml reads it (!ENV) and the tests compare against its default.
    env = {**{k: v for k, v in ENV.items() if k != "SITE_URL"}, "NO_COLOR": "1"}
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


def _export_command(project: Path) -> list[str] | None:
    """How to write the project Zensical builds: ``briefing export``."""
    briefing = _executable("briefing")
    return None if briefing is None else [str(briefing), "export", str(project), "--engine", "zensical"]


# Sites built without --strict: the hostile one, whose bodies hold tags the sanitiser leaves out, each with a warning.
LENIENT: set[Path] = set()


def _strict(root: Path) -> list[str]:
    return [] if root in LENIENT else ["--strict"]


def build_mkdocs(root: Path, out: Path) -> Path:
    exe = _executable("mkdocs")
    if exe is None:
        pytest.skip("mkdocs is not installed")
    result = _run([str(exe), "build", *_strict(root), "--site-dir", str(out)], cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert_only_left_out_warnings(result.stderr)
    return out


def build_properdocs(root: Path, out: Path) -> Path:
    exe = _executable("properdocs")
    if exe is None:
        pytest.skip("properdocs is not installed (pip install properdocs, in the venv that has the plugin)")
    # -f: without it ProperDocs falls back to mkdocs.yml too, but says the fallback will go away.
    result = _run([str(exe), "build", *_strict(root), "-f", "mkdocs.yml", "--site-dir", str(out)], cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert_only_left_out_warnings(result.stderr)
    return out


def build_zensical(root: Path, out: Path) -> Path:
    """Export into ``out``'s sibling folder and build there; the site is where EXPORT_LAYOUT says."""
    exe = _executable("zensical")
    if exe is None:
        pytest.skip("zensical is not installed (0.0.73 is the newest that installs from PyPI alone)")
    project = out.parent / (out.name + "-project")
    export = _export_command(project)
    if export is None:
        pytest.skip("briefing is not installed")
    result = _run(export, cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    # --strict: broken links are build errors (Zensical validates links by default; strict makes them fatal).
    result = _run([str(exe), "build", "--clean", "--strict", "-f", EXPORT_LAYOUT.config], cwd=project)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    return project / EXPORT_LAYOUT.site


ENGINES: dict[str, Callable[[Path, Path], Path]] = {
    "mkdocs": build_mkdocs,
    "properdocs": build_properdocs,
    "zensical": build_zensical,
}
OTHERS = [name for name in ENGINES if name != "mkdocs"]


def _copy_shipped(into: Path) -> Path:
    for name in SHIPPED:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, into / name)
        elif source.is_file():
            shutil.copyfile(source, into / name)
    return into


@pytest.fixture(scope="session")
def shipped_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped site, so that no engine writes into the repository."""
    return _copy_shipped(tmp_path_factory.mktemp("shipped"))


Built = Callable[[str, Path], Path]


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    """``built(engine, source)``: the site ``engine`` builds from ``source``, built once per session."""
    sites: dict[tuple[str, Path], Path] = {}

    def build(engine: str, source: Path) -> Path:
        if (engine, source) not in sites:
            sites[engine, source] = ENGINES[engine](source, tmp_path_factory.mktemp(f"{engine}-site") / "site")
        return sites[engine, source]

    return build


@pytest.fixture(scope="session", params=list(ENGINES))
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def reference(shipped_source: Path, built: Built) -> Path:
    return built("mkdocs", shipped_source)


@pytest.fixture(scope="session")
def shipped_site(engine: str, shipped_source: Path, built: Built) -> Path:
    return built(engine, shipped_source)


# --- reading a built site ---------------------------------------------------------


def page_urls(site: Path) -> set[str]:
    """The pages of a built site, as URLs relative to its root (``weeks/2025-W37/``); theme and search assets aside."""
    urls = set()
    for index in site.rglob("index.html"):
        rel = index.parent.relative_to(site).as_posix()
        if rel.split("/", 1)[0] in ("assets", "search", "pagefind"):
            continue
        urls.add("" if rel == "." else rel + "/")
    return urls


def page_file(site: Path, url: str) -> Path:
    return site / url / "index.html"


class _Page(HTMLParser):
    """One pass over a page: the links it holds, the feeds it advertises and its main text."""

    SKIP = ("script", "style")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []  # (tag, url)
        self.feeds: list[str] = []
        self.ids: set[str] = set()
        self.content_links: list[tuple[str, str]] = []  # (href, rel) of the <a>s in the main text
        self.text: list[str] = []
        self._depth = 0  # inside the main <article> when > 0
        self._drop = 0  # inside something whose text is chrome, not content
        self._stack: list[tuple[str, bool, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        self.links += [(tag, a[name]) for name in ("href", "src", "action") if name in a]
        if tag == "link" and "alternate" in a.get("rel", "").split() and a.get("type") in FEED_TYPES:
            self.feeds.append(a.get("href", ""))
        if tag in ("br", "img", "input", "link", "meta", "hr", "source", "wbr", "col", "area", "base", "embed", "param", "track"):
            return
        classes = a.get("class", "").split()
        if tag == "a" and self._depth > 0 and "href" in a:
            self.content_links.append((a["href"], a.get("rel", "")))
        opens_main = tag == "article" and bool(MAIN.search(a.get("class", ""))) and self._depth == 0
        drops = self._depth > 0 and (
            tag in self.SKIP
            or "headerlink" in classes
            or "md-tags" in classes
            or a.get("id") == "__skip"
            or "md-source-file" in classes
        )
        self._stack.append((tag, opens_main or self._depth > 0, drops))
        if opens_main or self._depth > 0:
            self._depth += 1
        if drops:
            self._drop += 1

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            open_tag, counted, dropped = self._stack.pop()
            if counted:
                self._depth -= 1
            if dropped:
                self._drop -= 1
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._depth > 0 and self._drop == 0:
            self.text.append(data)

    @property
    def main_text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.text)).strip()


def read_page(path: Path) -> _Page:
    parser = _Page()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def _site_url(source: Path) -> str:
    match = re.search(r"^site_url:.*?\"?(https?://[^\s\"\]]+)", (source / "mkdocs.yml").read_text(encoding="utf-8"), re.M)
    assert match, "the tests need a site_url"
    return match.group(1) if match.group(1).endswith("/") else match.group(1) + "/"


def broken_links(site: Path, site_url: str, tags: tuple[str, ...] | None = None) -> list[str]:
    """Every internal href/src of every page (of the given tags, or all) that points at no file of the built site."""
    broken = []
    pages = {url: page_file(site, url) for url in page_urls(site)}
    pages["404.html"] = site / "404.html"
    for url, path in sorted(pages.items()):
        if not path.is_file():
            continue
        parsed = read_page(path)
        base = urljoin(site_url, url)
        for tag, link in parsed.links:
            if tags is not None and tag not in tags:
                continue
            if not link or link.startswith(("mailto:", "tel:", "javascript:", "data:")):
                continue  # the safety tests judge javascript: and data:
            target, fragment = urldefrag(urljoin(base, link))
            if not target.startswith(site_url):
                continue  # another site (a source, the repository)
            rel = unquote(urlsplit(target).path[len(urlsplit(site_url).path) :])
            file = site / rel
            if rel == "" or rel.endswith("/") or file.is_dir():
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{url or '/'}: <{tag}> {link}")
            elif fragment and file.suffix == ".html" and target == base.split("#")[0] and fragment not in parsed.ids:
                broken.append(f"{url or '/'}: <{tag}> {link} (no such anchor)")
    return broken


def _kind(url: str) -> str | None:
    return next((kind for kind, pattern in BRIEFING_KINDS.items() if pattern.match(url)), None)


# --- the same site on every engine ---------------------------------------------------


def test_every_engine_builds_the_shipped_site(shipped_site: Path) -> None:
    assert (shipped_site / "index.html").is_file()
    assert (shipped_site / "404.html").is_file()


@pytest.mark.parametrize("other", OTHERS)
def test_page_urls_are_the_same_on_every_engine(other: str, reference: Path, shipped_source: Path, built: Built) -> None:
    site = built(other, shipped_source)
    expected, got = page_urls(reference), page_urls(site)
    assert got == expected, f"only in mkdocs: {sorted(expected - got)[:10]}; only in {other}: {sorted(got - expected)[:10]}"


@pytest.mark.parametrize("other", OTHERS)
def test_briefings_read_the_same_on_every_engine(other: str, reference: Path, shipped_source: Path, built: Built) -> None:
    site = built(other, shipped_source)
    compared = {kind: 0 for kind in BRIEFING_KINDS}
    different = []
    for url in sorted(page_urls(reference)):
        kind = _kind(url)
        if kind is None or not page_file(site, url).is_file():
            continue  # missing pages are the URL test's business
        compared[kind] += 1
        ours, theirs = read_page(page_file(reference, url)).main_text, read_page(page_file(site, url)).main_text
        assert ours, f"{url}: no main text found in the mkdocs build (has Material's <article> changed?)"
        if ours != theirs:
            at = next((i for i, (a, b) in enumerate(zip(ours, theirs, strict=False)) if a != b), min(len(ours), len(theirs)))
            different.append(
                f"{url} at {at}: mkdocs {ours[max(0, at - 40) : at + 60]!r} / {other} {theirs[max(0, at - 40) : at + 60]!r}"
            )
    assert all(compared.values()), f"some kind of page was never compared: {compared}"
    assert different == [], "\n".join(different[:5])


@pytest.mark.parametrize("other", OTHERS)
def test_links_lead_to_the_same_pages_on_every_engine(other: str, reference: Path, shipped_source: Path, built: Built) -> None:
    """Not only unbroken: each link in a page's text leads where MkDocs' does (an engine that reads links in
    HTML as relative to the page's file, not its URL, sends them one folder off, or out of a path prefix)."""
    site, base = built(other, shipped_source), _site_url(shipped_source)

    def targets(root: Path, url: str) -> list[str]:
        links = read_page(page_file(root, url)).content_links
        return [urldefrag(urljoin(base + url, href))[0] for href, _ in links if not href.startswith("#")]

    different = [
        f"{url}: {sorted(set(targets(reference, url)) ^ set(targets(site, url)))[:4]}"
        for url in sorted(page_urls(reference))
        if page_file(site, url).is_file() and targets(reference, url) != targets(site, url)
    ]
    assert different == [], "\n".join(different[:5])


def test_no_broken_internal_links(shipped_site: Path, shipped_source: Path) -> None:
    assert broken_links(shipped_site, _site_url(shipped_source)) == []


def test_links_to_sources_open_without_opener(shipped_site: Path) -> None:
    """Sources are pages nobody here controls: every link leaving the site says rel="noopener noreferrer"."""
    bare = []
    for url in sorted(page_urls(shipped_site)):
        for href, rel in read_page(page_file(shipped_site, url)).content_links:
            if href.startswith(("http://", "https://")) and not {"noopener", "noreferrer"} <= set(rel.split()):
                bare.append(f"{url}: {href[:80]}")
    assert bare == [], f"{len(bare)} external links without rel=noopener, e.g. {bare[:5]}"


def test_every_page_advertises_the_feeds(shipped_site: Path, shipped_source: Path) -> None:
    base = _site_url(shipped_source)
    site_feed = base + "feed.xml"
    missing, topic_missing = [], []
    for url in sorted(page_urls(shipped_site)):
        # Pages link their feeds relatively (a site served elsewhere never sends readers to the published host).
        advertised = [urljoin(base + url, href) for href in read_page(page_file(shipped_site, url)).feeds]
        if site_feed not in advertised:
            missing.append(url)
        if _kind(url) in ("topic", "briefing"):
            slug = url.split("/")[-2]  # topics/<slug>/ and weeks/<week>/<slug>/
            if base + f"feed-{slug}.xml" not in advertised:
                topic_missing.append(url)
    assert missing == [], f"pages without the site feed link: {missing[:10]}"
    assert topic_missing == [], f"topic pages without their topic feed link: {topic_missing[:10]}"


def test_feeds_parse_and_point_at_pages(shipped_site: Path, shipped_source: Path) -> None:
    feedparser = pytest.importorskip("feedparser")
    site_url = _site_url(shipped_source)
    urls = page_urls(shipped_site)
    feeds = [shipped_site / "feed.xml", *sorted(shipped_site.glob("feed-*.xml"))]
    assert feeds[0].is_file() and len(feeds) > 1
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, f"{path.relative_to(shipped_site)}: {parsed.get('bozo_exception')}"
        assert parsed.entries, path
        for entry in parsed.entries:
            assert entry.link.startswith(site_url), entry.link
            assert entry.link[len(site_url) :] in urls, f"{path.relative_to(shipped_site)}: {entry.link} is no page"


def test_the_stylesheet_and_404_are_published(shipped_site: Path, shipped_source: Path) -> None:
    assert (shipped_site / "assets/briefing/briefing.css").read_bytes() == (REPO / "generator/assets/briefing.css").read_bytes()
    not_found = (shipped_site / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in not_found  # the shipped override, not the theme's bare 404
    # Served at any depth, so its links are absolute (/briefings/weeks/), never relative.
    prefix = urlsplit(_site_url(shipped_source)).path
    assert f'href="{prefix}weeks/"' in not_found


def test_no_page_draws_an_empty_banner(shipped_site: Path) -> None:
    """Material draws its banner (a dark strip above the header) when the announce block holds anything,
    a line break included; a site with no problems has nothing to announce."""
    with_banner = [
        p.relative_to(shipped_site).as_posix()
        for p in shipped_site.rglob("*.html")
        if 'class="md-banner' in p.read_text(encoding="utf-8")
    ]
    assert not with_banner, with_banner[:5]


# --- hostile notes ------------------------------------------------------------------


@pytest.fixture(scope="session")
def hostile_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from test_safety import HOSTILE_SITE

    root = tmp_path_factory.mktemp("hostile-src")
    config = MKDOCS_YML.replace("https://example.org/briefings/", SITE_URL) + "  - tags\n"
    for rel, text in {"mkdocs.yml": config, "briefings/index.md": "# Home\n", **HOSTILE_SITE}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    LENIENT.add(root)
    return root


def _search_texts(site: Path) -> Iterator[tuple[str, str]]:
    """(where, text) of every title, text and path entry of the engine's search index."""
    material = site / "search" / "search_index.json"
    zensical = site / "search.json"
    if material.is_file():
        for doc in json.loads(material.read_text(encoding="utf-8"))["docs"]:
            yield doc["location"], doc["title"] + " " + doc["text"]
    elif zensical.is_file():
        for item in json.loads(zensical.read_text(encoding="utf-8"))["items"]:
            # Zensical's search UI renders title, text and path (the nav titles) as HTML.
            yield item["location"], " ".join([item["title"], item["text"], *item.get("path", []), *item.get("tags", [])])
    else:
        raise AssertionError("no search index found")


def test_hostile_notes_run_nothing(engine: str, hostile_source: Path, built: Built) -> None:
    from test_safety import live_markup

    site = built(engine, hostile_source)
    found = {}
    for path in sorted(site.rglob("*.html")):
        if "assets" not in path.relative_to(site).parts and (live := live_markup(path.read_text(encoding="utf-8"))):
            found[path.relative_to(site).as_posix()] = live
    for where, text in _search_texts(site):
        if live := live_markup(text):
            found[f"search index: {where}"] = live
    for feed in site.rglob("*.xml"):
        text = feed.read_text(encoding="utf-8")
        if "<script" in text or "<img" in text:
            found[feed.relative_to(site).as_posix()] = ["markup in a feed"]
    assert found == {}
    note = (site / "notes/2025/2025-09-11-hostile/index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;" in note  # shown as text, not dropped


def test_hostile_site_has_no_broken_links(engine: str, hostile_source: Path, built: Built) -> None:
    site = built(engine, hostile_source)
    # Links only: the hostile note's own <img src=x> points nowhere, as its editor wrote it.
    assert broken_links(site, SITE_URL, tags=("a", "link")) == []


def test_zensical_indexes_notes_whole_and_generated_pages_by_title(shipped_source: Path, built: Built) -> None:
    """Briefings, digests, topic and entity pages repeat the notes: on Zensical they are found by their title only."""
    site = built("zensical", shipped_source)
    items = json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    generated = [i for i in items if any(BRIEFING_KINDS[kind].match(i["location"].split("#")[0]) for kind in BRIEFING_KINDS)]
    assert generated and all(i["text"] == "" and "#" not in i["location"] for i in generated), generated[:3]
    notes = {i["location"].split("#")[0] for i in items if i["location"].startswith("notes/") and i["text"]}
    assert len(notes) == len(list((shipped_source / "briefings/notes").rglob("*.md"))) - _drafts(shipped_source)


def _drafts(source: Path) -> int:
    return sum("\ndraft: true\n" in p.read_text(encoding="utf-8") for p in (source / "briefings/notes").rglob("*.md"))


# --- Zensical in a browser ----------------------------------------------------------


def _serve_under_prefix(site: Path, prefix: str) -> tuple[Any, str]:
    """Serve ``site`` under ``prefix`` (``/briefings/``, as a GitHub project page) on 127.0.0.1."""
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def translate_path(self, path: str) -> str:
            return super().translate_path("/" + path.removeprefix(prefix) if path.startswith(prefix) else "/missing")

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


@pytest.mark.browser
def test_zensical_site_reads_like_the_mkdocs_site_and_searches(
    browser: Any, reference: Path, shipped_source: Path, built: Built
) -> None:
    """On the Zensical build a briefing shows the same sections and grades as on MkDocs, and search finds a note."""
    site = built("zensical", shipped_source)
    prefix = urlsplit(_site_url(shipped_source)).path
    server, base = _serve_under_prefix(site, prefix)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        elsewhere: list[str] = []
        page.on("request", lambda request: elsewhere.append(request.url) if not request.url.startswith(base) else None)
        briefing = "weeks/2025-W38/export-controls/"
        page.goto(base + briefing)
        ours = page_file(reference, briefing).read_text(encoding="utf-8")
        expected_sections = [html.unescape(re.sub(r"<[^>]+>", "", h)).strip() for h in re.findall(r"<h2[^>]*>(.*?)</h2>", ours)]
        sections = [s.removesuffix("¶").strip() for s in page.locator("article h2").all_inner_texts()]
        assert sections == [s.removesuffix("¶").strip() for s in expected_sections]
        grades = ours.count('class="bf-grade"')
        assert grades > 0 and page.locator("article .bf-grade").count() == grades  # grades spelled out, as on MkDocs
        page.locator(".md-search__button").first.click()
        page.keyboard.type("Kunlun")
        results = page.locator("a[href*='notes/']", has_text="Kunlun")
        results.first.wait_for(timeout=15_000)  # Zensical's own search finds the notes
        assert results.count() >= 1
        assert elsewhere == [], elsewhere
    finally:
        page.close()
        server.shutdown()
