"""The `mkdocs serve` fast path (``generator.mkdocs.serve``, with ``BriefingPage`` in ``generator.mkdocs.pages``):
a rebuild that reuses unchanged pages writes exactly what a full build of the same files writes, search index included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ENV, note, topics

from generator.pagecache import Entry, PageCache, fingerprint, pack_data, pack_text, unpack_data, unpack_text

# Builds a site the way `mkdocs serve` does (one process, plugins kept, config reloaded per build),
# applying the edits given between builds, and writes the last build to OUT.
SERVE = """
import json, logging, sys
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

root, out, steps = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
url = "http://127.0.0.1:8000/briefings/"
counts = []
class Count(logging.Handler):
    def emit(self, record):
        if "unchanged ones" in record.getMessage():
            counts.append(record.getMessage())
logging.getLogger("mkdocs.plugins.briefing").addHandler(Count())
logging.getLogger("mkdocs").setLevel(logging.INFO)
for index, edits in enumerate(steps):
    for rel, text in edits.items():
        path = root / rel
        if text is None:
            path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=out)
    config.site_url = url
    if index == 0:
        config.plugins.on_startup(command="serve", dirty=False)
    build(config, serve_url=url)
print(json.dumps(counts))
"""


def _serve_builds(root: Path, out: Path, steps: list[dict[str, str | None]]) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", SERVE, str(root), str(out), json.dumps(steps)],
        env=ENV,
        cwd=root,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and p.suffix != ".gz"}


def _assert_same(incremental: Path, fresh: Path) -> None:
    a, b = _tree(incremental), _tree(fresh)
    assert sorted(a) == sorted(b)
    assert [path for path in a if a[path] != b[path]] == []


# generator/mkdocs/serve.py, ServeCache.on_nav: the site-wide key takes the navigation's titles from
# _nav_key(nav.items), but at on_nav the BriefingPage objects have not read their source yet
# (page.markdown is None), so Page.title is None for every page: a renamed page in the navigation
# (a topic, an editor's page) does not change the key, and every reused page keeps the old title in its sidebar.

NOTE_A = "briefings/notes/2025/2025-09-11-alpha.md"
NOTE_B = "briefings/notes/2025/2025-09-16-beta.md"
NOTE_C = "briefings/notes/2025/2025-09-17-gamma.md"


@pytest.mark.slow
@pytest.mark.parametrize(
    "edit",
    [
        {NOTE_A: note("Alpha", "2025-09-11", "[chips]", extra="entities: [Huawei, SMIC]\ntags: [fab]\n", body="Edited body.")},
        {NOTE_B: note("Beta renamed", "2025-09-16", "[chips, policy]", extra="importance: 5\nentities: [Huawei]\n")},
        {NOTE_C: note("Gamma", "2025-09-17", "[policy]", extra="entities: [SMIC]\n")},  # a new note
        {NOTE_A: None},  # a deleted note
        {"briefings/weeks/2025-W38.md": "---\nwatch: [Something]\n---\nA new lede.\n"},
        {"templates/entity.html.j2": "{{ heading(1, entity.name) }}\n<p>The site's own template.</p>\n"},
        {"briefings/about.md": "---\ntitle: About\ntags: [meta]\n---\nNow linking [beta](notes/2025/2025-09-16-beta.md).\n"},
        pytest.param(
            {"briefings/about.md": "---\ntitle: About us\n---\nAbout [alpha](notes/2025/2025-09-11-alpha.md).\n"},
            id="editor-page-title",
        ),
        pytest.param(
            {
                "briefings/topics/policy.md": "---\ntitle: Policy and law\ndescription: Everything about policy.\norder: 1\n---\nIntro.\n"
            },
            id="topic-title",
        ),
    ],
    ids=[
        "body",
        "title-topics-entities",
        "added",
        "deleted",
        "lede",
        "template",
        "editor-page",
        "editor-page-title",
        "topic-title",
    ],
)
def test_reused_pages_are_what_a_full_build_writes(make_site, tmp_path: Path, edit: dict[str, str | None]) -> None:
    files = {
        **topics("chips", "policy"),
        NOTE_A: note("Alpha", "2025-09-11", "[chips]", extra="entities: [Huawei, SMIC]\ntags: [fab]\n"),
        NOTE_B: note("Beta", "2025-09-16", "[policy]", extra="entities: [SMIC]\n"),
        "briefings/notes/2025/2025-09-18-delta.md": note("Delta", "2025-09-18", "[chips]", extra="draft: true\n"),
        # Pages of the editor's own, with front matter the page keeps (and the fast path too).
        "briefings/index.md": "---\ntitle: The home page\ndescription: Test briefings.\n---\n# Test briefings\n",
        "briefings/about.md": "---\ntitle: About\ntags: [meta]\nhide: [toc]\n---\nAbout [alpha](notes/2025/2025-09-11-alpha.md).\n",
    }
    root = make_site(files)
    steps: list[dict[str, str | None]] = [{}, edit]
    counts = _serve_builds(root, tmp_path / "incremental", steps)
    assert len(counts) == 2
    assert "reused 0 " in counts[0]
    if next(iter(edit)) in (NOTE_A, NOTE_B) and edit[next(iter(edit))] is not None:
        assert "reused 0 " not in counts[1]  # the fast path was taken
    if "templates/entity.html.j2" in edit:  # the site's own template is used from the next rebuild on
        assert "The site's own template." in (tmp_path / "incremental/entities/huawei/index.html").read_text(encoding="utf-8")
    # The same files, built once by a fresh process.
    _serve_builds(root, tmp_path / "fresh", [{}])
    _assert_same(tmp_path / "incremental", tmp_path / "fresh")


@pytest.mark.slow
def test_several_edits_in_a_row(make_site, tmp_path: Path) -> None:
    root = make_site({**topics("chips"), NOTE_A: note("Alpha", "2025-09-11"), NOTE_B: note("Beta", "2025-09-16")})
    steps: list[dict[str, str | None]] = [
        {},
        {NOTE_A: note("Alpha", "2025-09-11", extra="importance: 5\n")},
        {NOTE_A: note("Alpha", "2025-09-11")},  # back as it was
        {NOTE_B: note("Beta", "2025-09-16", body="Body with a [link](../2025/2025-09-11-alpha.md).")},
    ]
    counts = _serve_builds(root, tmp_path / "incremental", steps)
    assert all("reused 0 " not in count for count in counts[1:])
    _serve_builds(root, tmp_path / "fresh", [{}])
    _assert_same(tmp_path / "incremental", tmp_path / "fresh")


def test_page_cache_keeps_entries_while_keys_match() -> None:
    cache = PageCache()
    cache.start(fingerprint("site", 1))
    assert cache.get("a.md", fingerprint("a", 1)) is None
    cache.put("a.md", Entry(fingerprint("a", 1), pack_text("<html>a</html>"), pack_data([{"text": "a"}])))
    cache.finish()

    cache.start(fingerprint("site", 1))
    entry = cache.get("a.md", fingerprint("a", 1))
    assert entry is not None
    assert unpack_text(entry.output) == "<html>a</html>"
    assert unpack_data(entry.search) == [{"text": "a"}]
    assert cache.get("a.md", fingerprint("a", 2)) is None  # the page's inputs changed
    assert (cache.reused, cache.rendered) == (1, 1)
    cache.finish()

    cache.start(fingerprint("site", 1))
    cache.finish()  # a build that did not ask for a.md: it was deleted
    assert len(cache) == 0

    cache.put("a.md", Entry(fingerprint("a", 1), b"", b""))
    cache.start(fingerprint("site", 2))  # what every page depends on changed
    assert cache.get("a.md", fingerprint("a", 1)) is None


def test_fingerprint_tells_parts_apart() -> None:
    assert fingerprint("ab", "c") != fingerprint("a", "bc")
    assert fingerprint("1") != fingerprint(1)
    assert fingerprint({"a": 1}) == fingerprint({"a": 1})


def test_text_survives_packing() -> None:
    text = "Huawei 华为 \U0001f600 \ud800 <b>&amp;</b>"  # a lone surrogate too
    assert unpack_text(pack_text(text)) == text
