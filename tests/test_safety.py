"""Hostile text, bad files and faults never reach readers or lose data."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import markdown
import pytest
from conftest import (
    MKDOCS_YML,
    assert_only_left_out_warnings,
    build_site,
    core_config,
    mkdocs_build,
    note,
    run,
    topics,
    write_site,
)
from hostile import HOSTILE_SITE, live_markup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import export as export_module
from generator.assemble import assemble
from generator.frontmatter import split
from generator.loader import load_site
from generator.model import Corpus
from generator.pages import PageMaker
from generator.render import Renderer


@functools.cache
def _renderer() -> Renderer:
    return Renderer(core_config())


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_site(tmp_path_factory.mktemp("hostile"), {"mkdocs.yml": MKDOCS_YML + "  - tags\n", **HOSTILE_SITE})
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    _only_left_out_warnings(result.stderr)
    return root


def _only_left_out_warnings(log: str) -> None:
    """The hostile body's tags and links are left out, each with a warning (so --strict would fail); nothing else warns."""
    assert "raw HTML <script> is left out of the page" in log, log
    assert_only_left_out_warnings(log)


def test_hostile_note_shows_literally_and_runs_nothing(hostile_build: Path) -> None:
    site = hostile_build / "site"
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 8
    for page in pages:
        assert live_markup(page.read_text(encoding="utf-8")) == [], page.relative_to(site)
    note_page = (site / "notes/2025/2025-09-11-hostile/index.html").read_text(encoding="utf-8")
    # Shown as text: in the <title>, the heading and the briefing's link text.
    assert "<title>&lt;img src=x onerror=alert(1)&gt;" in note_page
    assert "js link" in note_page and "hover" in note_page  # the text survives, the code does not
    briefing = (site / "weeks/2025-W37/chips/index.html").read_text(encoding="utf-8")
    assert "&#42;x&#42; &#124; y &#91;a&#93;&#40;javascript&#58;b&#41;" in briefing
    assert 'rel="noopener noreferrer"' in briefing
    # An editor's own page and an entity description are published, as text, too.
    assert "<title>&lt;script&gt;alert(19)&lt;/script&gt; - Test briefings</title>" in (site / "about/index.html").read_text(
        encoding="utf-8"
    )
    entity = (site / "entities/fine-corp/index.html").read_text(encoding="utf-8")
    assert re.search(r'<p[^>]*class="bf-description"[^>]*>&lt;img src=x onerror=alert\(23\)&gt;</p>', entity)


def test_search_index_and_feeds_carry_no_live_markup(hostile_build: Path) -> None:
    site = hostile_build / "site"
    index = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))
    docs = index["docs"]
    assert any("onerror" in doc["title"] for doc in docs)  # the hostile title is indexed, as text
    for doc in docs:
        assert live_markup(doc["title"]) == [] and live_markup(doc["text"]) == [], doc["location"]
    for feed in [*site.rglob("*.xml")]:
        text = feed.read_text(encoding="utf-8")
        assert "<script" not in text and "<img" not in text, feed


def test_raw_html_can_be_allowed_for_trusted_sites(make_site) -> None:
    root = make_site(
        {
            "mkdocs.yml": MKDOCS_YML.replace("  - briefing\n", "  - briefing:\n      allow_raw_html: true\n"),
            **topics("chips"),
            "briefings/notes/2025/2025-09-11-raw.md": note("Raw", body='<div class="custom" onclick="go()">kept</div>'),
        }
    )
    assert mkdocs_build(root, "--strict").returncode == 0
    assert 'onclick="go()"' in (root / "site/notes/2025/2025-09-11-raw/index.html").read_text(encoding="utf-8")


def test_two_builds_are_byte_identical(make_site) -> None:
    root = make_site({**HOSTILE_SITE, "briefings/notes/2025/2025-09-12-other.md": note("Other", "2025-09-12")})

    def digest() -> dict[str, str]:
        result = mkdocs_build(root)
        assert result.returncode == 0
        _only_left_out_warnings(result.stderr)
        site = root / "site"
        return {
            p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*"))
            if p.is_file() and p.name != "sitemap.xml.gz"  # gzip stamps its own mtime
        }

    first = digest()
    assert first == digest()


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"briefings/topics/../../evil.md": "x"}, None),  # cannot even be named inside the docs dir
        ({"briefings/notes/2025/2025-09-11-a.md": note(extra="story: ../../etc/passwd\n")}, "'story' must be a slug"),
        (
            {
                "briefings/notes/2025/2025-09-11-a.md": note(extra="entities: [Nvidia]\n"),
                "briefings/notes/2025/2025-09-12-b.md": note("B", "2025-09-12", extra="entities: [NVIDIA]\n"),
            },
            "share the page entities/nvidia/",
        ),
        ({"briefings/notes/2025/2025-09-11-a.md": note(), "briefings/notes/2025/2025-09-11-A.md": note()}, "same URL"),
        ({"briefings/entities/index.md": "# Mine\n"}, "holds generated entity pages"),
        ({"briefings/entities/nvidia.md": "# Mine\n"}, "no front matter"),  # an entity description needs one
        ({"briefings/notes/2025/2025-09-11-a.md": note(url="file:///etc/passwd")}, "must be an http or https URL"),
    ],
)
def test_paths_and_collisions_are_refused(make_site, files: dict[str, str], expected: str | None) -> None:
    root = make_site({**topics("chips"), **{k: v for k, v in files.items() if ".." not in k}})
    result = run(["briefing", "check"], cwd=root)
    if expected is None:
        assert result.returncode == 0
        return
    assert expected in result.stdout, result.stdout
    assert "Traceback" not in result.stderr


def test_symlink_out_of_the_docs_dir_is_not_read(make_site, tmp_path: Path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text(note("Secret outside"), encoding="utf-8")
    root = make_site({**topics("chips")})
    (root / "briefings/notes/2025").mkdir(parents=True)
    os.symlink(secret, root / "briefings/notes/2025/2025-09-11-link.md")
    outside = write_site(tmp_path / "outside", {"2026-01-05-x.md": note("Secret folder", "2026-01-05")}, defaults=False)
    os.symlink(outside, root / "briefings/notes/2026", target_is_directory=True)
    corpus = load_site(root / "briefings")
    assert corpus.notes == ()
    assert [p.path for p in corpus.problems if "points outside the docs folder" in p.message] == [
        "notes/2025/2025-09-11-link.md",
        "notes/2026",
    ]
    site = build_site(root)
    assert not [page.path for page in site.pages if "Secret" in page.title or "Secret" in page.markdown]
    assert not [f.path for f in site.files if not f.generated]  # nor published as a file


def test_interrupted_export_leaves_every_file_whole(make_site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note("Old title")})
    out = tmp_path / "out"
    assert run(["briefing", "export", str(out)], cwd=root).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*.md")}
    (root / "briefings/notes/2025/2025-09-11-a.md").write_text(note("New title"), encoding="utf-8")
    calls = 0
    real = export_module.write_if_changed

    def crash_on_third(path: Path, data: bytes, *, durable: bool = True) -> bool:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise KeyboardInterrupt
        return real(path, data, durable=durable)

    monkeypatch.setattr(export_module, "write_if_changed", crash_on_third)
    with pytest.raises(KeyboardInterrupt):
        export_module.export(build_site(root), out)
    assert calls == 3
    for path, old in before.items():
        now = path.read_bytes()
        assert now == old or b"New title" in now  # each file is the old one or the new one, never partial
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


front_matter_values = st.one_of(
    st.text(max_size=300),
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.lists(st.text(max_size=30), max_size=5),
    st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=3),
    st.sampled_from(["<script>alert(1)</script>", "*x* | [a](javascript:b)", "x" * 5000, "2025-02-30", "\u202e\u0000\ufeff"]),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "title",
                "date",
                "topics",
                "summary",
                "entities",
                "tags",
                "importance",
                "story",
                "confidence",
                "source",
                "draft",
                "bogus",
            ]
        ),
        front_matter_values,
    )
)
def test_random_front_matter_gives_a_page_or_a_clean_problem(overrides: dict[str, object]) -> None:
    meta: dict[str, object] = {
        "title": "T",
        "date": "2025-09-11",
        "topics": ["chips"],
        "source": {"name": "S", "url": "https://example.org"},
        "summary": "S.",
        **overrides,
    }
    text = "---\n" + json.dumps(meta, ensure_ascii=False) + "\n---\nBody\n"  # JSON is YAML
    assert split(text, "n.md") is not None
    with tempfile.TemporaryDirectory() as tmp:
        files = {"topics/chips.md": "---\ntitle: Chips\ndescription: C.\n---\n", "notes/2025/2025-09-11-n.md": text}
        corpus = load_site(write_site(Path(tmp), files, defaults=False))
    assert len(corpus.notes) + len(corpus.rejected) + (1 if meta.get("draft") is True and not corpus.rejected else 0) >= 1
    for problem in corpus.problems:
        assert problem.path == "notes/2025/2025-09-11-n.md" and problem.line >= 1 and len(problem.message) < 400
    archive = assemble(Corpus(corpus.notes, corpus.topics))
    for page in PageMaker(_renderer()).all(archive, ()):
        assert live_markup(page.markdown, any_script=True) == [], page.path
        assert live_markup(markdown.markdown(page.markdown, extensions=["attr_list"]), any_script=True) == [], page.path
        meta_values = page.meta()
        assert "<" not in meta_values.get("title", "") and "<" not in meta_values["description"]  # escaped once, for the theme


@pytest.mark.parametrize(
    "body",
    [
        '<div id="__config">{"base": "https://evil.example/", "features": [], "translations": {}}</div>',
        "A paragraph.\n{#__config}",
        '<p id="__search">A toggle of the theme\'s.</p>',
    ],
    ids=["raw-html", "attr-list", "search-toggle"],
)
def test_note_bodies_cannot_take_the_themes_element_ids(make_site, body: str) -> None:
    yml = MKDOCS_YML + "markdown_extensions:\n  - attr_list\n"
    root = make_site({"mkdocs.yml": yml, **topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note(body=body)})
    page = build_site(root).page("notes/2025/2025-09-11-a.md")
    assert page is not None
    assert 'id="__' not in page.markdown, page.markdown


@pytest.mark.parametrize("target", [".", "..", "../..", "/"])
@pytest.mark.parametrize("where", ["inner/a", ".hidden/a", "notes/2025/loop"])
def test_a_link_to_a_folder_out_of_the_site_or_around_itself_stops_the_build_at_once(make_site, target: str, where: str) -> None:
    """MkDocs walks the docs folder following links before any plugin runs: such a link never ended the build."""
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note()})
    link = root / "briefings" / where
    link.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, link, target_is_directory=True)
    check = run(["briefing", "check"], cwd=root, timeout=120)
    assert check.returncode == 1 and f"briefings/{where}:1: error: symbolic link" in check.stdout, check.stdout
    for strict in ((), ("--strict",)):
        build = mkdocs_build(root, *strict)  # (the conftest runner's timeout catches a hang)
        assert build.returncode != 0 and f"briefings/{where}: symbolic link" in build.stderr, build.stderr[-1500:]
        assert "Traceback" not in build.stderr


def test_a_note_cannot_pull_in_other_files_through_the_sites_markdown_extensions(make_site) -> None:
    """pymdownx.snippets (shipped with Material) would put any file of the repository into a note's page."""
    yml = MKDOCS_YML.replace("docs_dir: briefings\n", "docs_dir: briefings\nmarkdown_extensions:\n  - pymdownx.snippets\n")
    yml += "# CONFIG_MARKER\n"
    (body := 'Before.\n\n--8<-- "mkdocs.yml"\n\n--8<-- ".env"\n\nAfter.')
    root = make_site({"mkdocs.yml": yml, **topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note(body=body)})
    (root / ".env").write_text("SECRET_IN_THE_REPOSITORY=hunter2\n", encoding="utf-8")
    build = mkdocs_build(root, "--strict")
    assert build.returncode == 0, build.stderr[-2000:]
    page = (root / "site/notes/2025/2025-09-11-a/index.html").read_text(encoding="utf-8")
    assert "Before." in page and "After." in page
    assert "hunter2" not in page and "CONFIG_MARKER" not in page


def test_export_writes_a_file_whose_name_is_as_long_as_names_get(make_site, tmp_path: Path) -> None:
    name = "a" * 246 + ".png"  # 250 bytes: the temporary name beside it must not be longer than 255
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note(), f"briefings/{name}": b"\x89PNG"})
    result = run(["briefing", "export", str(tmp_path / "out")], cwd=root)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert (tmp_path / "out/docs" / name).read_bytes() == b"\x89PNG"


def test_a_dirty_build_never_writes_through_a_link_out_of_the_site_folder(make_site, tmp_path: Path) -> None:
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note()})
    assert mkdocs_build(root).returncode == 0
    site = root / "site"
    victim, victim_dir = tmp_path / "victim.txt", tmp_path / "victim-dir"
    victim.write_text("untouched\n", encoding="utf-8")
    victim_dir.mkdir()
    (site / "feed.xml").unlink()
    (site / "feed.xml").symlink_to(victim)
    shutil.rmtree(site / "assets/briefing")
    (site / "assets/briefing").symlink_to(victim_dir, target_is_directory=True)

    build = mkdocs_build(root, "--dirty")

    assert build.returncode == 0, build.stderr[-2000:]
    assert victim.read_text(encoding="utf-8") == "untouched\n" and not list(victim_dir.iterdir())
    assert not (site / "feed.xml").is_symlink() and "<feed" in (site / "feed.xml").read_text(encoding="utf-8")
    assert (site / "assets/briefing/briefing.css").is_file() and not (site / "assets/briefing").is_symlink()
    assert "feed.xml in the site folder was a link out of it" in build.stderr
