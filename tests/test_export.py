"""`briefing export`: a project any engine builds into the same site, written safely.

Parity (slow): for the shipped site and for a hostile one, the site the plugin builds and the site plain
`mkdocs build` (no plugin) makes of the export have the same pages, titles and main text, and neither the
exported Markdown (rendered by plain Python-Markdown) nor its build holds live markup.

Safety: the export never writes through a symbolic link out of its folder, never deletes what it did
not write whatever its manifest says, gives files the umask's permissions, and rewrites nothing that
did not change.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import markdown
import pytest
import yaml
from conftest import ENV, MKDOCS_YML, REPO, assert_only_left_out_warnings, build_site, note, run, site_config, topics, write_site
from hostile import HOSTILE_SITE, live_markup

from generator import paths
from generator.export import MANIFEST, ExportResult, export
from generator.files import OutsideTarget

# ---- parity: the plugin's build and the export's build ----------------------------------------


@dataclass(frozen=True)
class Parity:
    plugin_site: Path  # `mkdocs build --strict` with the briefing plugin
    project: Path  # what `briefing export` wrote
    export_site: Path  # plain `mkdocs build --strict` of the project: no plugin
    site_name: str


def _export_and_build(source_root: Path, project: Path) -> Path:
    result = run(["briefing", "export", str(project), "--engine", "mkdocs"], cwd=source_root)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    built = project.parent / f"{project.name}-site"
    build = run(["mkdocs", "build", "--strict", "--site-dir", str(built)], cwd=project)
    assert build.returncode == 0, build.stderr[-3000:]
    if not (built / "search").is_dir():  # no Material search: index it with Pagefind, as the README says for other engines
        indexed = subprocess.run(
            [sys.executable, "-m", "generator.search", str(built)], capture_output=True, text=True, timeout=600, check=False
        )
        assert indexed.returncode == 0, indexed.stderr[-3000:]
    return built


@pytest.fixture(scope="module")
def shipped_parity(shipped_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Parity:
    project = tmp_path_factory.mktemp("shipped-export") / "project"
    return Parity(shipped_site, project, _export_and_build(REPO, project), site_config(REPO).site_name)


@pytest.fixture(scope="module")
def hostile_parity(tmp_path_factory: pytest.TempPathFactory) -> Parity:
    root = write_site(tmp_path_factory.mktemp("hostile-src"), {"mkdocs.yml": MKDOCS_YML + "  - tags\n", **HOSTILE_SITE})
    plugin = run(["mkdocs", "build", "--site-dir", str(root / "site")], cwd=root)  # its bodies' tags warn: not --strict
    assert plugin.returncode == 0, plugin.stderr[-3000:]
    assert_only_left_out_warnings(plugin.stderr)
    project = tmp_path_factory.mktemp("hostile-export") / "project"
    return Parity(root / "site", project, _export_and_build(root, project), site_config(root).site_name)


@pytest.fixture(params=["shipped", "hostile"])
def parity(request: pytest.FixtureRequest) -> Parity:
    return request.getfixturevalue(f"{request.param}_parity")  # type: ignore[no-any-return]


def _html_pages(site: Path) -> dict[str, Path]:
    """Every page of a built site by its URL (``weeks/2025-W37/``), the 404 page aside."""
    found = {}
    for page in site.rglob("*.html"):
        rel = page.relative_to(site).as_posix()
        if rel != "404.html":
            found[rel.removesuffix("index.html")] = page
    return found


def _exported_pages(project: Path) -> dict[str, tuple[str, frontmatter.Post]]:
    """Every Markdown page of the export by the URL MkDocs gives it (generator.paths.page_url)."""
    docs = project / "docs"
    found: dict[str, tuple[str, frontmatter.Post]] = {}
    for page in sorted(docs.rglob("*.md")):
        rel = page.relative_to(docs).as_posix()
        url = paths.page_url(rel)
        assert url not in found, f"{rel} and {found[url][0]} publish at one URL"
        found[url] = (rel, frontmatter.loads(page.read_text(encoding="utf-8")))
    return found


_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


def _title(page: Path, site_name: str) -> str:
    match = _TITLE.search(page.read_text(encoding="utf-8"))
    assert match, page
    return html.unescape(match[1]).removesuffix(f" - {site_name}")


def _main_text(page: Path) -> str:
    """The visible text of the page's main content (Material's <article>), scripts aside."""
    text = page.read_text(encoding="utf-8")
    start = text.index('<article class="md-content__inner')
    article = re.sub(r"<script\b.*?</script>", " ", text[start : text.index("</article>", start)], flags=re.DOTALL)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", article))).strip()


def _markdown_of(project: Path) -> markdown.Markdown:
    """Plain Python-Markdown with the extensions the export's mkdocs.yml lists (no MkDocs, no plugin)."""
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    names: list[str] = []
    configs: dict[str, Any] = {}
    for item in config.get("markdown_extensions") or []:
        name, options = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        names.append(name)
        if options:
            configs[name] = options
    return markdown.Markdown(extensions=names, extension_configs=configs)


@pytest.mark.slow
def test_every_built_page_is_in_the_export_with_its_title(parity: Parity) -> None:
    built = _html_pages(parity.plugin_site)
    exported = _exported_pages(parity.project)
    assert len(built) > 8
    missing = sorted(set(built) - set(exported))
    assert missing == [], f"pages the plugin publishes that the export lacks: {missing}"
    for url, page in built.items():
        rel, post = exported[url]
        # The home page's <title> is the site's name: the theme writes it (a front-matter title would double it).
        title = post.get("title", html.escape(parity.site_name) if rel in ("docs/index.md", "index.md") else None)
        assert html.unescape(str(title)) == _title(page, parity.site_name), rel


@pytest.mark.slow
def test_plugin_and_export_builds_publish_the_same_urls(parity: Parity) -> None:
    def files(site: Path) -> set[str]:
        return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file() and p.suffix != ".gz"}

    assert files(parity.export_site) == files(parity.plugin_site)


@pytest.mark.slow
def test_plugin_and_export_builds_show_the_same_pages(parity: Parity) -> None:
    """Digests, briefings, topics and entities (every page, in fact) read the same: same title, same main text."""
    built, rebuilt = _html_pages(parity.plugin_site), _html_pages(parity.export_site)
    kinds = {"weeks/": 0, "topics/": 0, "entities/": 0}
    for url, page in built.items():
        assert _main_text(rebuilt[url]) == _main_text(page), url
        assert _title(rebuilt[url], parity.site_name) == _title(page, parity.site_name), url
        for prefix in kinds:
            kinds[prefix] += url.startswith(prefix)
    assert all(kinds.values()), kinds  # every kind of generated page was compared


def _navigation(page: Path) -> list[tuple[str, str]]:
    """The primary navigation's entries, (text, href), as a reader sees them in the sidebar."""
    text = page.read_text(encoding="utf-8")
    start = text.index('<nav class="md-nav md-nav--primary"')
    nav = text[start : text.index("md-sidebar--secondary", start)]
    links = re.findall(r'<a href="([^"]*)" class="md-nav__link[^"]*">(.*?)</a>', nav, flags=re.DOTALL)
    return [(re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", label))).strip(), href) for href, label in links]


@pytest.mark.slow
def test_plugin_and_export_builds_have_the_same_navigation(parity: Parity) -> None:
    for url in ("", "weeks/", "entities/"):
        plugin, rebuilt = (
            _navigation(parity.plugin_site / url / "index.html"),
            _navigation(parity.export_site / url / "index.html"),
        )
        assert len(plugin) > 4
        assert rebuilt == plugin, url


@pytest.mark.slow
def test_exported_markdown_renders_to_no_live_markup(parity: Parity) -> None:
    """Whatever engine renders the export with Python-Markdown: no script, handler, javascript:/data: link or frame."""
    converter = _markdown_of(parity.project)
    pages = _exported_pages(parity.project)
    for rel, post in pages.values():
        rendered = converter.reset().convert(post.content)
        assert live_markup(rendered, any_script=True) == [], rel
        for key in ("title", "description"):  # Material places these unescaped: they must arrive escaped
            assert "<" not in str(post.get(key, "")), (rel, key)
    tags = [tag for _, post in pages.values() for tag in post.get("tags", [])]
    assert all("<" not in tag for tag in tags), tags


@pytest.mark.slow
def test_export_build_holds_no_live_markup(parity: Parity) -> None:
    """The export built by plain MkDocs, no plugin: pages, search index and feeds, as the plugin's build (test_safety)."""
    site = parity.export_site
    for page in site.rglob("*.html"):
        assert live_markup(page.read_text(encoding="utf-8")) == [], page.relative_to(site)
    material_index = site / "search/search_index.json"  # sites with Material's search; Pagefind's holds text only
    for doc in json.loads(material_index.read_text(encoding="utf-8"))["docs"] if material_index.is_file() else []:
        assert live_markup(doc["title"]) == [] and live_markup(doc["text"]) == [], doc["location"]
    for feed in site.rglob("*.xml"):
        text = feed.read_text(encoding="utf-8")
        assert "<script" not in text and "<img" not in text, feed


@pytest.mark.slow
def test_hostile_values_show_as_text_in_the_export_build(hostile_parity: Parity) -> None:
    note_page = (hostile_parity.export_site / "notes/2025/2025-09-11-hostile/index.html").read_text(encoding="utf-8")
    assert "<title>&lt;img src=x onerror=alert(1)&gt;" in note_page
    assert "js link" in note_page and "hover" in note_page  # the text survives, the code does not


# ---- Zensical (a test dependency where Python is 3.11 or newer) ------------------------------

ZENSICAL = (
    os.environ.get("ZENSICAL") or shutil.which("zensical", path=str(Path(sys.executable).parent)) or shutil.which("zensical")
)
needs_zensical = pytest.mark.skipif(
    not ZENSICAL, reason="zensical is not installed (pip install zensical, or set ZENSICAL=/path/to/zensical)"
)


def _zensical_build(parity: Parity, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], Path]:
    project = tmp_path / "project"
    shutil.copytree(parity.project, project)
    result = subprocess.run(
        [str(ZENSICAL), "build"], cwd=project, capture_output=True, text=True, timeout=600, check=False, env=ENV
    )
    return result, project / "site"


@pytest.mark.slow
@needs_zensical
def test_zensical_builds_the_export(shipped_parity: Parity, tmp_path: Path) -> None:
    result, site = _zensical_build(shipped_parity, tmp_path)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert (site / "404.html").is_file()


@pytest.mark.slow
@needs_zensical
def test_zensical_shows_the_same_pages_as_the_plugin(parity: Parity, tmp_path: Path) -> None:
    """Same URLs; the same main text on digests, briefings, topics and entities; no live markup anywhere."""
    _, site = _zensical_build(parity, tmp_path)
    built, rebuilt = _html_pages(parity.plugin_site), _html_pages(site)
    assert set(rebuilt) == set(built)
    compared = 0
    for url, page in built.items():
        assert live_markup(rebuilt[url].read_text(encoding="utf-8")) == [], url
        if url.startswith(("weeks/", "topics/", "entities/")):
            assert _main_text(rebuilt[url]) == _main_text(page), url
            compared += 1
    assert compared > 3


# ---- writing safely --------------------------------------------------------------------------


def _site(make_site: Any) -> Path:
    return make_site(
        {
            **topics("chips"),
            "briefings/notes/2025/2025-09-11-a.md": note("A", extra="entities: [Baidu]\n"),
            "briefings/notes/2025/2025-09-18-b.md": note("B", "2025-09-18"),
        }
    )


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _stats(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file and folder under ``folder`` (itself too) with its mtime and inode."""
    found = {".": (folder.stat().st_mtime_ns, folder.stat().st_ino)}
    for path in folder.rglob("*"):
        info = path.lstat()
        found[path.relative_to(folder).as_posix()] = (info.st_mtime_ns, info.st_ino)
    return found


@pytest.mark.parametrize(
    "link",
    ["docs", "docs/notes", "docs/notes/2025", "overrides"],
)
def test_export_never_writes_through_a_link_into_the_docs_dir(make_site: Any, tmp_path: Path, link: str) -> None:
    root = _site(make_site)
    docs = root / "briefings"
    before = _snapshot(docs)
    out = tmp_path / "out"
    (out / link).parent.mkdir(parents=True, exist_ok=True)
    target = docs / link.removeprefix("docs").lstrip("/") if link.startswith("docs") else docs
    os.symlink(target, out / link, target_is_directory=True)
    with pytest.raises(OutsideTarget):
        export(build_site(root), out)
    assert _snapshot(docs) == before  # the notes and everything else stay byte-identical
    cli = run(["briefing", "export", str(out)], cwd=root)
    assert cli.returncode == 1
    assert "Traceback" not in cli.stderr and "outside" in cli.stderr
    assert _snapshot(docs) == before


def test_export_replaces_a_file_link_instead_of_writing_through_it(make_site: Any, tmp_path: Path) -> None:
    root = _site(make_site)
    home = root / "briefings/index.md"
    before = home.read_bytes()
    out = tmp_path / "out"
    (out / "docs").mkdir(parents=True)
    os.symlink(home, out / "docs/index.md")
    export(build_site(root), out)
    assert home.read_bytes() == before
    assert not (out / "docs/index.md").is_symlink() and (out / "docs/index.md").is_file()


def test_export_into_a_link_to_the_docs_dir_is_refused(make_site: Any, tmp_path: Path) -> None:
    root = _site(make_site)
    before = _snapshot(root / "briefings")
    os.symlink(root / "briefings", tmp_path / "out")
    result = run(["briefing", "export", str(tmp_path / "out")], cwd=root)
    assert result.returncode == 1 and "refusing to export" in result.stderr and "Traceback" not in result.stderr
    assert _snapshot(root / "briefings") == before


CORRUPT_MANIFESTS: dict[str, object] = {
    "string": "docs/mine.md",
    "number": 42,
    "list": ["docs/mine.md", "../victim.txt"],
    "null": None,
    "empty-path": {"": "0" * 64},
    "dot-dot": {"../victim.txt": "VICTIM"},
    "dot-dot-inside": {"docs/../../victim.txt": "VICTIM"},
    "absolute": {"/VICTIM_PATH": "VICTIM"},
    "not-a-hash": {"docs/mine.md": 7},
    "a-folder": {"docs": "0" * 64},
    "link-out": {"link": "VICTIM"},  # a link in the export folder to the victim, listed with the victim's hash
    "through-a-linked-folder": {"linkdir/victim.txt": "VICTIM"},  # a folder link out of the export, to the victim's folder
}


@pytest.mark.parametrize("name", sorted(CORRUPT_MANIFESTS))
def test_a_corrupt_manifest_never_deletes_what_the_export_did_not_write(make_site: Any, tmp_path: Path, name: str) -> None:
    root = _site(make_site)
    out = tmp_path / "out"
    victim = tmp_path / "victim.txt"  # beside the export, as ../victim.txt and by its absolute path
    victim.write_bytes(b"not the export's\n")
    victim_hash = hashlib.sha256(victim.read_bytes()).hexdigest()  # the manifest even has its right hash
    assert export(build_site(root), out).written
    (out / "docs/mine.md").write_text("an editor's own file in the export folder\n", encoding="utf-8")
    (out / "keep.txt").write_text("a reviewer's notes\n", encoding="utf-8")
    os.symlink(victim, out / "link")
    os.symlink(tmp_path, out / "linkdir", target_is_directory=True)
    text = json.dumps(CORRUPT_MANIFESTS[name]).replace("VICTIM_PATH", str(victim).lstrip("/")).replace("VICTIM", victim_hash)
    (out / MANIFEST).write_text(text, encoding="utf-8")
    (root / "briefings/notes/2025/2025-09-18-b.md").unlink()  # and the export has something to remove
    before = {p: p.read_bytes() for p in (victim, out / "docs/mine.md", out / "keep.txt")}
    result = export(build_site(root), out)  # no exception: the command would print a traceback for one
    assert {p: p.read_bytes() for p in before} == before
    assert (out / "link").is_symlink()
    assert result.removed == ()  # a manifest not to be trusted removes nothing
    said = ("dot-dot", "dot-dot-inside", "absolute", "empty-path", "through-a-linked-folder")
    if not isinstance(CORRUPT_MANIFESTS[name], dict) or name in said:
        assert result.warnings, "a manifest that cannot be used is said, not silently ignored"
    assert json.loads((out / MANIFEST).read_text(encoding="utf-8"))  # and replaced by a good one


def test_export_command_says_the_manifest_is_not_used(make_site: Any, tmp_path: Path) -> None:
    root = _site(make_site)
    out = tmp_path / "out"
    assert run(["briefing", "export", str(out)], cwd=root).returncode == 0
    (out / MANIFEST).write_text('"not a manifest"', encoding="utf-8")
    result = run(["briefing", "export", str(out)], cwd=root)
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert f"warning: {MANIFEST} is not a record of this export's files; no old file is removed" in result.stderr


@pytest.mark.parametrize(
    ("name", "make"),
    [
        pytest.param(
            "deeply-nested",
            lambda path: path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8"),
        ),
        pytest.param(
            "a-folder",
            lambda path: path.mkdir(),
        ),
        ("not-utf-8", lambda path: path.write_bytes(b"\xff\xfe{\x00")),
        ("truncated", lambda path: path.write_text('{"docs/index.md": "ab', encoding="utf-8")),
    ],
    ids=["deeply-nested", "a-folder", "not-utf-8", "truncated"],
)
def test_an_unreadable_manifest_gives_no_traceback(make_site: Any, tmp_path: Path, name: str, make: Any) -> None:
    root = _site(make_site)
    out = tmp_path / "out"
    export(build_site(root), out)
    (out / MANIFEST).unlink()
    make(out / MANIFEST)
    result = run(["briefing", "export", str(out)], cwd=root)
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_exported_files_get_the_umasks_mode(make_site: Any, tmp_path: Path, umask: int, mode: int) -> None:
    root = _site(make_site)
    out = tmp_path / "out"
    result = run(["briefing", "export", str(out)], cwd=root, umask=umask)
    assert result.returncode == 0, result.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 10
    modes = {p.relative_to(out).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in files}
    assert set(modes.values()) == {mode}, {rel: oct(m) for rel, m in modes.items() if m != mode}
    folders = {stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_dir()}
    assert folders == {0o777 & ~umask}
    # A rewrite (a changed page) keeps the mode too: the temporary file's 0600 never shows.
    (root / "briefings/notes/2025/2025-09-11-a.md").write_text(note("A, edited"), encoding="utf-8")
    assert run(["briefing", "export", str(out)], cwd=root, umask=umask).returncode == 0
    assert stat.S_IMODE((out / "docs/notes/2025/2025-09-11-a/index.md").stat().st_mode) == mode


def test_export_keeps_the_sites_own_navigation(make_site: Any, tmp_path: Path) -> None:
    own = [{"Start": "index.md"}, {"About us": "about.md"}, {"Archive": "weeks/index.md"}]
    root = make_site(
        {
            "mkdocs.yml": MKDOCS_YML + yaml.safe_dump({"nav": own}),
            **topics("chips"),
            "briefings/about.md": "# About\n\nText.\n",
            "briefings/notes/2025/2025-09-11-a.md": note(),
        }
    )
    export(build_site(root), tmp_path / "out")
    # The site's own titles and order; each page where the export writes it (generator.paths.document_path).
    written = [{"Start": "index.md"}, {"About us": "about/index.md"}, {"Archive": "weeks/index.md"}]
    assert yaml.safe_load((tmp_path / "out/mkdocs.yml").read_text(encoding="utf-8"))["nav"] == written


def test_a_second_export_writes_nothing_and_changes_no_mtime(make_site: Any, tmp_path: Path) -> None:
    root = _site(make_site)
    out = tmp_path / "out"
    first = export(build_site(root), out)
    assert first.written and first.removed == () and first.warnings == ()
    old = 1_000_000_000 * 10**9  # 2001: any rewrite would show, whatever the clock's resolution
    for path in [*out.rglob("*"), out]:
        os.utime(path, ns=(old, old), follow_symlinks=False)
    before = _stats(out)
    second = export(build_site(root), out)
    assert second == ExportResult((), first.unchanged + len(first.written), (), ())
    assert _stats(out) == before  # no file or folder written, replaced or touched; the manifest neither


def test_export_removes_only_what_it_wrote_before(make_site: Any, tmp_path: Path) -> None:
    root = _site(make_site)
    out = tmp_path / "out"
    export(build_site(root), out)
    (out / "docs/notes/2025/mine.md").write_text("the reviewer's\n", encoding="utf-8")
    edited = out / "docs/entities/baidu/index.md"
    edited.write_text(edited.read_text(encoding="utf-8") + "A reviewer's edit.\n", encoding="utf-8")
    # B goes: its page and its week's pages; A loses its entity: the entity page goes too, but it was edited.
    (root / "briefings/notes/2025/2025-09-18-b.md").unlink()
    (root / "briefings/notes/2025/2025-09-11-a.md").write_text(note("A"), encoding="utf-8")
    result = export(build_site(root), out)
    assert set(result.removed) == {
        "docs/notes/2025/2025-09-18-b/index.md",
        "docs/weeks/2025-W38/index.md",
        "docs/weeks/2025-W38/chips/index.md",
    }
    assert not (out / "docs/weeks/2025-W38").exists()  # emptied folders go too
    assert (out / "docs/notes/2025/mine.md").read_text(encoding="utf-8") == "the reviewer's\n"
    assert edited.read_text(encoding="utf-8").endswith("A reviewer's edit.\n")  # edited since: left alone
