"""Search with Pagefind: the text rewrites, the indexer, the theme's marks, and the search box in Chromium.

The browser tests build the shipped site once (its mkdocs.yml: no Material
search plugin, so the briefing plugin indexes it with Pagefind) and serve it
under /briefings/, the path prefix of a GitHub project page, on 127.0.0.1.
Every request that would leave the site is recorded and blocked.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import importlib.metadata
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from browser_support import REPO, describe, require_chromium, screenshot
from conftest import BIN, ENV, MKDOCS_YML, SiteFactory, mkdocs_build, note, run, stop_serving, topics

from generator.search import index_site
from generator.search.text import needs_rewrite, rewrite_html, rewrite_text

THEME = REPO / "generator" / "theme"
PREFIX = "/briefings/"
NO_SEARCH_PLUGIN = MKDOCS_YML.replace("  - search\n", "")


# --- the text rewrites (generator.search.text) ----------------------------------


def test_typographic_apostrophes_become_ascii_so_elisions_split() -> None:
    assert rewrite_text("vers l’autosuffisance") == "vers l'autosuffisance"
    assert rewrite_text("d\u02bcici") == "d'ici"
    assert rewrite_text("plain English") == "plain English"
    assert not needs_rewrite("<p>l'autosuffisance, plain</p>")
    assert needs_rewrite("<p>l’autosuffisance</p>")


def test_han_and_kana_become_one_word_per_character() -> None:
    assert rewrite_text("傳阿里巴巴、百度").split() == ["傳", "阿", "里", "巴", "巴", "、", "百", "度"]
    assert rewrite_text("英伟达H20芯片").split() == ["英", "伟", "达", "H20", "芯", "片"]
    assert rewrite_text("Nvidia（輝達）").split() == ["Nvidia", "（", "輝", "達", "）"]
    assert rewrite_text("カタカナ").split() == ["カ", "タ", "カ", "ナ"]


def test_rewrite_html_changes_text_only() -> None:
    page = '<a title="輝達" href="/輝達/">輝達 l’IA</a><span lang="zh">阿里</span>'
    assert rewrite_html(page) == '<a title="輝達" href="/輝達/"> 輝 達 l\'IA</a><span lang="zh"> 阿 里 </span>'


# --- the theme overrides ----------------------------------------------------------


def test_header_override_is_materials_header_but_for_the_search_block() -> None:
    """Gate on the Material version: an upgrade that changes the header must be looked at, not copied blindly."""
    version = importlib.metadata.version("mkdocs-material")
    assert re.match(r"9\.[78]\.", version), f"partials/header.html was copied from Material 9.7/9.8, not {version}"
    import material

    theirs = (Path(material.__file__).parent / "templates/partials/header.html").read_text(encoding="utf-8")
    ours = (THEME / "partials/header.html").read_text(encoding="utf-8")
    ours = re.sub(r"\A\{#-.*?-#\}\n", "", ours, flags=re.S)  # our comment
    theirs = re.sub(r"\A\{#-.*?-#\}\n", "", theirs, flags=re.S)  # "automatically generated"
    ours = re.sub(r"    \{#- briefing:.*?-#\}\n", "", ours)
    ours = re.sub(r"(?m)^    \{% else %\}\n.*?(^    \{% endif %\}\n)    \{#- /briefing -#\}\n", r"\1", ours, flags=re.S)
    assert ours == theirs


# --- the indexer and the plugin (no browser) -------------------------------------


def _page(body: str, *, lang: str = "en") -> str:
    return f'<!doctype html><html lang="{lang}"><head><title>t</title></head><body><nav>Menu</nav>{body}</body></html>'


def test_index_site_indexes_only_marked_pages_and_writes_only_its_bundle(tmp_path: Path) -> None:
    site = tmp_path / "site"
    pages = {
        "index.html": _page("<div data-pagefind-body><h1>Home</h1><p>Welcome.</p></div>"),
        "notes/a/index.html": _page("<div data-pagefind-body><h1>A</h1><p>l’autosuffisance 輝達</p></div>"),
        "weeks/w/index.html": _page("<article>Summary</article><div data-pagefind-body hidden><h1>Week</h1></div>"),
        "404.html": _page("<h1>Not found</h1>"),
    }
    for rel, text in pages.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}

    report = index_site(site)

    assert (report.pages, report.rewritten, report.languages) == (3, 1, ("en",))
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
    assert not (bundle / "pagefind-ui.js").exists()  # Pagefind's own UI is not shipped
    assert report.files == sum(1 for p in bundle.rglob("*") if p.is_file())
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file() and bundle not in p.parents}
    assert after == before, "the indexer changed a page"
    assert len(list((bundle / "fragment").iterdir())) == 3

    index_site(site)  # again: the bundle is replaced, not nested
    assert not (bundle / "pagefind").exists()


def test_command_line_indexes_a_site_another_engine_built(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "n").mkdir(parents=True)
    (site / "n/index.html").write_text(_page("<div data-pagefind-body><h1>輝達</h1></div>"), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "generator.search", str(site)], capture_output=True, text=True, check=False, env=ENV
    )
    assert done.returncode == 0, done.stderr
    assert "indexed 1 pages (1 rewritten)" in done.stdout and (site / "pagefind/pagefind.js").is_file()
    missing = subprocess.run([sys.executable, "-m", "generator.search", str(tmp_path / "nope")], capture_output=True, text=True)
    assert missing.returncode == 2 and "build the site first" in missing.stderr


def test_a_page_linked_in_from_outside_the_site_is_not_indexed(tmp_path: Path) -> None:
    """Another engine's output may hold links; what they lead to outside the site is not the site's to publish."""
    site = tmp_path / "site"
    (site / "n").mkdir(parents=True)
    (site / "n/index.html").write_text(_page("<div data-pagefind-body><h1>Inside</h1></div>"), encoding="utf-8")
    outside = tmp_path / "private.html"
    outside.write_text(_page("<div data-pagefind-body><h1>Secretword</h1></div>"), encoding="utf-8")
    (site / "leak.html").symlink_to(outside)
    (site / "again.html").symlink_to(site / "n/index.html")  # a link within the site is the site's

    report = index_site(site)

    assert report.pages == 2
    fragments = b"".join(gzip.decompress(p.read_bytes()) for p in (site / "pagefind/fragment").iterdir())
    assert b"Inside" in fragments and b"Secretword" not in fragments


def test_background_indexer_finishes_before_the_next_build(tmp_path: Path) -> None:
    from generator.search.background import Indexer

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a/index.html").write_text(_page("<div data-pagefind-body><h1>A</h1></div>"), encoding="utf-8")
    heard: list[object] = []
    indexer = Indexer()
    indexer.start(site, heard.append, background=True)
    indexer.wait()  # what the plugin does in on_pre_build, before MkDocs cleans the site folder
    assert len(heard) == 1 and getattr(heard[0], "pages", None) == 1, heard
    assert (site / "pagefind/pagefind-entry.json").is_file()
    assert not list(site.glob(".pagefind-*")), "no scratch left in the site"


def _many_pages(site: Path, count: int) -> None:
    for number in range(count):
        page = site / f"n{number}/index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(_page(f"<div data-pagefind-body><h1>Note {number}</h1><p>Kunlun {number}</p></div>"), encoding="utf-8")


def test_an_index_run_called_off_at_any_step_leaves_the_site_as_it_was(tmp_path: Path) -> None:
    from generator.search.pagefind import IndexCancelled

    site = tmp_path / "site"
    _many_pages(site, 5)
    index_site(site)
    bundle = {p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
    (site / "n0/index.html").write_text(_page("<div data-pagefind-body><h1>Changed</h1></div>"), encoding="utf-8")
    for steps in range(8):  # called off after the first, second, ... question: while staging, before installing
        asked = 0

        def cancelled(limit: int = steps) -> bool:
            nonlocal asked
            asked += 1
            return asked > limit

        try:
            index_site(site, cancelled=cancelled)
        except IndexCancelled:
            after = {p.relative_to(site): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
            assert after == bundle, f"called off after {steps} steps, the old bundle changed"
            assert not list(site.glob(".pagefind-*"))
        else:
            assert steps >= 6, f"a run told to stop after {steps} steps went on"  # 5 pages + the install
            break


def test_a_save_calls_off_the_background_index_of_the_site_it_replaces(tmp_path: Path) -> None:
    from generator.search.background import Indexer

    site = tmp_path / "site"
    _many_pages(site, 300)
    heard: list[object] = []
    indexer = Indexer()
    indexer.start(site, heard.append, background=True)
    indexer.release_site()  # what the plugin does in on_pre_build
    shutil.rmtree(site)  # MkDocs cleans the folder and writes the new build
    _many_pages(site, 1)
    indexer.wait()
    assert heard == [], "a called-off run reported"
    assert not (site / "pagefind").exists() and not list(site.glob(".pagefind-*")), "a called-off run wrote into the new site"
    indexer.start(site, heard.append, background=True)  # the new build's own run
    indexer.wait()
    assert len(heard) == 1 and getattr(heard[0], "pages", None) == 1, heard


def test_plugin_marks_pages_and_indexes_the_build(make_site: SiteFactory) -> None:
    root = make_site(
        {
            "mkdocs.yml": NO_SEARCH_PLUGIN,
            **topics("chips"),
            "briefings/notes/2025/2025-09-11-first.md": note("First note", body="Une note sur l’autosuffisance."),
        }
    )
    before = sorted(p.relative_to(root) for p in (root / "briefings").rglob("*"))
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    assert "search: indexed" in result.stderr
    site = root / "site"
    note_page = (site / "notes/2025/2025-09-11-first/index.html").read_text(encoding="utf-8")
    assert note_page.count("data-pagefind-body") == 1 and "data-pagefind-body hidden" not in note_page
    briefing = (site / "weeks/2025-W37/chips/index.html").read_text(encoding="utf-8")
    assert "<div data-pagefind-body hidden>" in briefing  # the title and headings only
    hidden = briefing.split("<div data-pagefind-body hidden>", 1)[1].split("</div>", 1)[0]
    assert "First note" not in hidden and "Summary of First note" not in hidden
    assert "Chips: week 37, 2025" in hidden
    assert "data-pagefind-body" not in (site / "404.html").read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'name="bf-search"' in home and 'name="search"' not in home  # Material's search code stays idle
    assert "assets/briefing/search.js" in home and (site / "assets/briefing/search.js").is_file()
    assert (site / "pagefind/pagefind-entry.json").is_file() and not (site / "search").exists()
    assert sorted(p.relative_to(root) for p in (root / "briefings").rglob("*")) == before  # nothing in docs_dir


def _bundle(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}


def _same_bundle_as_from_the_finished_pages(site: Path, scratch: Path) -> None:
    """The bundle the build wrote (from each page's content, while MkDocs wrote the pages) is, byte for
    byte, the one Pagefind writes from the finished pages."""
    built = _bundle(site)
    copy = shutil.copytree(site, scratch / "copy")
    shutil.rmtree(copy / "pagefind")
    index_site(copy)
    assert built and sorted(built) == sorted(_bundle(copy))
    for name, data in built.items():  # every file whole: a file cut short does not decompress
        if name.endswith((".pagefind", ".pf_fragment", ".pf_index", ".pf_meta")):
            assert gzip.decompress(data), name
    assert built == _bundle(copy)


def test_the_shipped_build_indexes_what_its_pages_show(shipped_site: Path, tmp_path: Path) -> None:
    _same_bundle_as_from_the_finished_pages(shipped_site, tmp_path)


def test_a_build_indexes_what_its_pages_show_whatever_they_hold(make_site: SiteFactory, tmp_path: Path) -> None:
    """Tags, a page with no heading of its own, Chinese, apostrophes, markup-like text."""
    root = make_site(
        {
            "mkdocs.yml": NO_SEARCH_PLUGIN.replace("  - briefing\n", "  - tags\n  - briefing\n"),
            **topics("chips", "export-controls"),
            "briefings/about.md": "No heading here, only text about <b>bold</b> & l’autosuffisance.\n",
            "briefings/notes/2025/2025-09-11-first.md": note(
                "First note",
                topics="[chips, export-controls]",
                extra="tags: [h20, licensing]\n",
                body="传阿里巴巴、百度 and l’autosuffisance; 5 < 6 & `<script>x</script>`.",
            ),
            "briefings/notes/2025/2025-09-12-second.md": note(
                "Second note", date="2025-09-12", extra="tags: [hbm]\n", body="Kunlun P800."
            ),
        }
    )
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    _same_bundle_as_from_the_finished_pages(root / "site", tmp_path)


def test_a_rebuild_replaces_the_bundle_and_leaves_nothing_hidden_behind(make_site: SiteFactory, tmp_path: Path) -> None:
    """The last bundle is set aside before MkDocs cleans the site and deleted beside the new build."""
    root = make_site({"mkdocs.yml": NO_SEARCH_PLUGIN, **topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note("Kunlun")})
    site = root / "site"
    assert mkdocs_build(root, "--strict").returncode == 0
    (root / "briefings/notes/2025/2025-09-12-b.md").write_text(note("Zanzibarite", date="2025-09-12"), encoding="utf-8")
    (site / "pagefind" / "stale.txt").write_text("from an older build", encoding="utf-8")
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == []
    assert not (site / "pagefind" / "stale.txt").exists()
    _same_bundle_as_from_the_finished_pages(site, tmp_path)


def test_an_index_run_that_fails_or_is_abandoned_leaves_nothing_in_the_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.search import pagefind

    def broken(scratch: Path, output: Path) -> None:
        raise RuntimeError("the service stopped")  # Pagefind's message, when its program fails

    monkeypatch.setattr(pagefind, "_run_pagefind", broken)
    site = tmp_path / "site"
    site.mkdir()
    record = pagefind.Record("a/index.html", "en", "<div data-pagefind-body><h1>A</h1></div>")
    run = pagefind.IndexRun([record], site)
    with pytest.raises(pagefind.SearchIndexError, match="the service stopped"):
        run.finish()
    assert list(site.iterdir()) == []
    monkeypatch.undo()
    abandoned = pagefind.IndexRun([record], site)
    abandoned.abandon()
    assert list(site.iterdir()) == []
    done = pagefind.IndexRun([record], site).finish()
    assert done.pages == 1 and sorted(p.name for p in site.iterdir()) == ["pagefind"]


def test_material_search_plugin_is_the_fallback(make_site: SiteFactory) -> None:
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-first.md": note("First note")})
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    home = (root / "site/index.html").read_text(encoding="utf-8")
    assert 'name="search"' in home and 'name="bf-search"' not in home and "briefing/search.js" not in home
    assert (root / "site/search/search_index.json").is_file() and not (root / "site/pagefind").exists()


# --- in the browser ----------------------------------------------------------------


class _PrefixHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under PREFIX only, like GitHub Pages serves a project page."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def translate_path(self, path: str) -> str:
        if not path.startswith(PREFIX):
            return "/nonexistent/"
        return super().translate_path("/" + path[len(PREFIX) :])


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_chromium()
    out = tmp_path_factory.mktemp("search-site")
    result = run(["mkdocs", "build", "--strict", "--site-dir", str(out)], cwd=REPO)
    assert result.returncode == 0, result.stderr[-3000:]
    assert (out / "pagefind/pagefind.js").is_file()
    return out


@pytest.fixture(scope="module")
def base(site_dir: Path) -> Iterator[str]:
    handler = functools.partial(_PrefixHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


class Reader:
    """One browser context on the site: a page, and every request it tried to make."""

    def __init__(self, browser: Any, base: str, **options: Any) -> None:
        self.base = base
        origin = "{0.scheme}://{0.netloc}/".format(urlsplit(base))
        self.context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        self.context.set_default_timeout(15_000)
        self.requests: list[str] = []
        self.errors: list[str] = []

        def route(route: Any) -> None:
            self.requests.append(route.request.url)
            if route.request.url.startswith(origin):
                route.continue_()
            else:
                route.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def goto(self, path: str = "") -> None:
        self.page.goto(self.base + path)

    def search(self, query: str) -> list[str]:
        """Type ``query`` into the header search box; the result paths below the prefix, best first."""
        box = self.page.locator("input.md-search__input")
        box.click()
        box.fill("")
        self.page.keyboard.type(query)
        meta = self.page.locator(".md-search-result__meta")
        self.page.wait_for_function(
            "q => document.querySelector('.md-search__input').value === q && !/Type to start|Initializing/.test("
            "document.querySelector('.md-search-result__meta').textContent)",
            arg=query,
        )
        self.page.wait_for_timeout(200)  # a late keystroke's search replaces the list as a whole
        if re.search(r"No matching", meta.inner_text()):
            return []
        hrefs = self.page.locator(".md-search-result__item > a.md-search-result__link").evaluate_all(
            "links => links.map(a => a.href)"
        )
        return [urlsplit(h).path.removeprefix(PREFIX) for h in hrefs]


@pytest.fixture
def reader(browser: Any, base: str) -> Iterator[Reader]:
    made = Reader(browser, base)
    yield made
    made.context.close()
    assert not made.errors, made.errors


def _note(stem: str) -> str:
    return f"notes/2025/{stem}/"


# The multilingual query set: (query, a note it must find). Original titles included.
QUERIES = [
    pytest.param("Tianchi", _note("2025-11-13-baidu-kunlun-m100-m300-roadmap"), id="en"),
    pytest.param("billet", _note("2025-09-12-alibaba-baidu-gate-fr"), id="fr"),
    pytest.param("autosuffisance", _note("2025-09-12-alibaba-baidu-gate-fr"), id="fr-elision"),
    pytest.param("dumpent", _note("2025-09-12-alibaba-baidu-gate-fr"), id="fr-original-title"),
    pytest.param("enfreint", _note("2025-09-15-samr-nvidia-antitrust-developpez"), id="fr-original-title-2"),
    pytest.param("阿里巴巴", _note("2025-09-12-alibaba-baidu-cnyes"), id="zh-simplified"),
    pytest.param("英伟达", _note("2025-07-31-cac-summons-nvidia-h20"), id="zh-simplified-2"),
    pytest.param("寒武纪", _note("2025-08-26-cambricon-h1-results"), id="zh-original-title"),
    pytest.param("輝達", _note("2025-09-12-alibaba-baidu-cnyes"), id="zh-traditional"),
    pytest.param("英偉達", _note("2025-09-15-samr-nvidia-antitrust-etnet"), id="zh-traditional-2"),
    pytest.param("weltstärkste", _note("2025-09-18-huawei-atlas-cluster-wallstreet-online"), id="de-original-title"),
    pytest.param("weltstarkste", _note("2025-09-18-huawei-atlas-cluster-wallstreet-online"), id="de-no-umlaut"),
    pytest.param("Gespräche", _note("2025-08-28-nvidia-blackwell-china-talks"), id="de-original-title-2"),
    pytest.param("untersagt", _note("2025-09-17-cac-rtx-pro-6000d-ban-cash"), id="de"),
]


@pytest.mark.browser
@pytest.mark.parametrize(("query", "expected"), QUERIES)
def test_multilingual_query_set(reader: Reader, query: str, expected: str) -> None:
    reader.goto("weeks/2025-W38/ai-chip-self-sufficiency/")  # a page three levels deep
    found = reader.search(query)
    assert expected in found, f"{query!r} found {found}"
    assert len(found) == len(set(found)), f"{query!r} lists a page twice: {found}"


@pytest.mark.browser
def test_chinese_phrase_is_not_a_bag_of_characters(reader: Reader) -> None:
    reader.goto()
    found = reader.search("阿里巴巴")
    # Ming Pao's title has 阿里 but not 阿里巴巴; the simplified and traditional spellings both match.
    assert _note("2025-09-13-alibaba-baidu-mingpao") not in found
    assert {_note("2025-09-12-alibaba-baidu-cnyes"), _note("2025-09-12-alibaba-smic-zhenwu-udn")} <= set(found)
    excerpt = reader.page.locator(".md-search-result__article p").first.inner_text()
    assert "阿里巴巴" in excerpt, f"the excerpt shows the characters joined again: {excerpt!r}"


@pytest.mark.browser
def test_a_note_is_listed_once_and_summaries_do_not_list_briefings(reader: Reader) -> None:
    reader.goto()
    # Words of a summary: the note's page has them, and so do its briefing, digest and entity pages.
    found = reader.search("offset weaker single chips")
    assert found == [_note("2025-09-18-huawei-atlas-cluster-wallstreet-online")], found
    found = reader.search("Kunlun P800")
    assert len(found) == len(set(found)) >= 3, found
    assert found[0] == "entities/kunlun-p800/", found  # the entity page, by its title
    first_note = next(p for p in found if p.startswith("notes/"))
    assert first_note == _note("2025-04-25-baidu-kunlun-p800-30000-cluster"), found  # the name in its title
    quoted = reader.search('"Kunlun P800"')  # the exact phrase: fewer pages, each one saying it
    assert set(quoted) <= set(found), (quoted, found)
    assert quoted[:2] == found[:2], "a phrase is ranked like its words: the name in a title first"


@pytest.mark.browser
def test_generated_pages_are_found_by_their_titles(reader: Reader) -> None:
    reader.goto()
    found = reader.search("digest week 38")
    assert "weeks/2025-W38/" in found[:3], found
    found = reader.search("Atlas 950 SuperPoD")
    assert found[0] == "entities/atlas-950-superpod/", found
    found = reader.search("Export controls")
    assert "topics/export-controls/" in found[:5], found


@pytest.mark.browser
def test_keyboard_slash_type_arrow_enter_opens_the_note(reader: Reader) -> None:
    reader.goto("topics/ai-chip-self-sufficiency/")
    page = reader.page
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.type("billet")
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.classList.contains('md-search__input')")
    page.keyboard.press("Enter")  # Enter in the box opens the best result
    page.wait_for_url(re.compile(re.escape(_note("2025-09-12-alibaba-baidu-gate-fr"))))
    assert not page.evaluate("document.getElementById('__search').checked"), "the search closes on the way"

    page.keyboard.press("s")
    page.keyboard.type("Tianchi")
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__search').checked")


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_search_box_has_no_accessibility_violations(browser: Any, base: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    reader = Reader(browser, base, color_scheme=scheme)
    reader.goto()
    reader.search("Huawei")
    screenshot(reader.page, f"search-pagefind-results-{scheme}")
    results = Axe().run(reader.page, context={"include": [[".md-header"]]})
    found = [v for v in results.response["violations"] if v["impact"] in {"serious", "critical"}]
    reader.context.close()
    assert not found, describe(found)  # no exceptions list: the dialog is named, the list's role follows the toggle


@pytest.mark.browser
def test_no_request_leaves_the_site_while_searching(reader: Reader) -> None:
    reader.goto()
    loaded = len(reader.requests)
    assert reader.search("Huawei Ascend")
    searching = reader.requests[loaded:]
    assert any("/pagefind/" in url for url in searching), searching
    assert all(url.startswith(reader.base) for url in searching), searching


@pytest.mark.browser
def test_not_found_page_searches_the_missing_address(reader: Reader) -> None:
    reader.page.goto(reader.base + "entities/kunlun-p800-typo/")  # the server answers 404 with no page...
    reader.page.goto(reader.base + "?q=Kunlun+P800")  # ...so open what the 404 form submits
    reader.page.wait_for_selector(".md-search-result__item")
    assert reader.page.locator("input.md-search__input").input_value() == "Kunlun P800"
    reader.page.keyboard.press("Escape")
    assert "q=" not in reader.page.url


@pytest.mark.browser
def test_phone_opens_the_search_from_the_header_icon(browser: Any, base: str) -> None:
    phone = Reader(browser, base, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        phone.goto(_note("2025-09-12-alibaba-baidu-gate-fr"))
        phone.page.locator(".md-header label.md-header__button[for='__search']").click()
        expect_focus = "document.activeElement.classList.contains('md-search__input')"
        phone.page.wait_for_function(expect_focus)
        phone.page.keyboard.type("輝達")
        phone.page.wait_for_selector(".md-search-result__item")
        screenshot(phone.page, "search-pagefind-phone")
        phone.page.locator(".md-search-result__link").first.tap()
        phone.page.wait_for_url(re.compile(r"notes/2025/2025-09-12-alibaba-"))
        assert not phone.errors, phone.errors
    finally:
        phone.context.close()


@pytest.mark.browser
def test_hostile_title_shows_as_text_in_results(browser: Any, make_site: SiteFactory, tmp_path: Path) -> None:
    hostile = '"<img src=x onerror=window.__pwned=1> hostile"'
    root = make_site(
        {
            "mkdocs.yml": NO_SEARCH_PLUGIN,
            **topics("chips"),
            "briefings/notes/2025/2025-09-11-hostile.md": note(hostile, body="Body <b onmouseover=x>bold</b> hostile."),
        }
    )
    assert mkdocs_build(root).returncode == 0
    handler = functools.partial(_PrefixHandler, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    visitor = Reader(browser, f"http://127.0.0.1:{server.server_address[1]}{PREFIX}")
    try:
        visitor.goto()
        assert visitor.search("hostile")
        titles = visitor.page.locator(".md-search-result__article h1").all_inner_texts()
        assert any("<img src=x onerror" in title for title in titles), titles
        assert visitor.page.locator(".md-search-result img").count() == 0
        assert visitor.page.evaluate("window.__pwned === undefined")
    finally:
        visitor.context.close()
        server.shutdown()
        server.server_close()


# --- under mkdocs serve -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")  # type: ignore[no-any-return]
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _until(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s")
        time.sleep(0.3)


@pytest.mark.browser
@pytest.mark.slow
def test_search_follows_an_edit_under_mkdocs_serve(browser: Any, tmp_path: Path) -> None:
    require_chromium()
    root = tmp_path / "shipped"
    root.mkdir()
    for name in ("mkdocs.yml", "briefings", "templates"):
        source = REPO / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, root / name)
    port = _free_port()
    served = f"http://127.0.0.1:{port}{PREFIX}"
    server = subprocess.Popen(
        ["timeout", "300", str(BIN / "mkdocs"), "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    entry = served + "pagefind/pagefind-entry.json"
    visitor = None
    try:
        _until(lambda: _fetch(entry) is not None, 120, "mkdocs serve with a search index")
        first = _fetch(entry)
        visitor = Reader(browser, served)
        visitor.goto()
        assert visitor.search("zanzibarite") == []

        path = root / "briefings/notes/2025/2025-09-12-alibaba-baidu-gate-fr.md"
        path.write_text(path.read_text(encoding="utf-8") + "\nA zanzibarite aside.\n", encoding="utf-8")
        _until(lambda: _fetch(entry) not in (None, first), 120, "a new index after the edit")
        visitor.goto()  # a reader who loads a page after the rebuild gets the new index
        assert visitor.search("zanzibarite") == [_note("2025-09-12-alibaba-baidu-gate-fr")]
    finally:
        if visitor is not None:
            visitor.context.close()
        stop_serving(server)
