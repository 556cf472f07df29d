"""The `briefing` commands run as subprocesses: new, export, --help, --version, and the pre-commit hook."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from importlib.metadata import version
from pathlib import Path

import frontmatter
import pytest
import yaml
from conftest import BIN, ENV, REPO, build_site, note, run, topics

from generator import paths
from generator.build import THEME_DIR
from generator.export import MANIFEST, MATERIAL_SEARCH_FILES, engine_markdown, page_document

NEW_NAME = re.compile(r"^briefings/notes/(\d{4})/(\d{4}-\d{2}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")


# briefing new


def test_new_writes_the_note_where_the_spec_says_and_prints_its_path(make_site):
    root = make_site(topics("chips"))
    result = run(["briefing", "new", "Baidu unveils Kunlun M100", "--topic", "chips", "--date", "2025-11-13"], cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "briefings/notes/2025/2025-11-13-baidu-unveils-kunlun-m100.md\n"
    text = (root / result.stdout.strip()).read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Baidu unveils Kunlun M100"\ndate: 2025-11-13\ntopics: ["chips"]\n')


def test_new_transliterates_a_chinese_title(make_site):
    root = make_site(topics("chips"))
    result = run(["briefing", "new", "阿里巴巴发布真武PPU", "--topic", "chips", "--date", "2025-09-16"], cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "briefings/notes/2025/2025-09-16-a-li-ba-ba-fa-bu-zhen-wu-ppu.md\n"
    assert 'title: "阿里巴巴发布真武PPU"' in (root / result.stdout.strip()).read_text(encoding="utf-8")


def test_new_date_defaults_to_today(make_site):
    root = make_site(topics("chips"))
    before = dt.date.today()
    result = run(["briefing", "new", "Today's news", "--topic", "chips"], cwd=root)
    after = dt.date.today()
    assert result.returncode == 0, result.stderr
    match = NEW_NAME.match(result.stdout.strip())
    assert match, result.stdout
    assert match[2] in {before.isoformat(), after.isoformat()}
    assert match[1] == match[2][:4]
    assert f"date: {match[2]}\n" in (root / result.stdout.strip()).read_text(encoding="utf-8")


def test_new_never_overwrites(make_site):
    root = make_site(topics("chips"))
    args = ["briefing", "new", "Same title", "--topic", "chips", "--date", "2025-09-11"]
    path = root / run(args, cwd=root).stdout.strip()
    path.write_text("the editor's work\n", encoding="utf-8")
    before = path.read_bytes()
    again = run([*args, "--url", "https://example.org/other", "--source", "Other"], cwd=root)
    assert again.returncode == 1
    assert again.stdout == ""
    assert "briefings/notes/2025/2025-09-11-same-title.md exists; not overwriting it" in again.stderr
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # and no temp file left behind


def test_new_unknown_topic_exits_2_listing_the_known_ones(make_site):
    root = make_site(topics("chips", "export-controls"))
    result = run(["briefing", "new", "Anything", "--topic", "chip"], cwd=root)
    assert result.returncode == 2
    assert "unknown topic chip" in result.stderr
    assert "known topics: chips, export-controls" in result.stderr
    assert not (root / "briefings/notes").exists()


def test_new_note_with_url_and_source_passes_check(make_site):
    root = make_site(topics("chips"))
    new = run(
        [
            *("briefing", "new", "Alibaba trains on in-house chips", "--topic", "chips", "--date", "2025-09-11"),
            *("--url", "https://www.reuters.com/a", "--source", "Reuters", "--language", "fr"),
        ],
        cwd=root,
    )
    assert new.returncode == 0, new.stderr
    path = new.stdout.strip()
    check = run(["briefing", "check", "--format", "json", path], cwd=root)
    assert check.returncode == 0, check.stdout
    # A new note is a draft, whose placeholder summary is expected: nothing to report until it is published.
    assert json.loads(check.stdout) == []
    published = Path(root / path)
    published.write_text(published.read_text(encoding="utf-8").replace("draft: true", "draft: false"), encoding="utf-8")
    (placeholder,) = json.loads(run(["briefing", "check", "--format", "json", path], cwd=root).stdout)
    assert (placeholder["severity"], placeholder["field"]) == ("warning", "summary")
    assert "still a placeholder" in placeholder["message"]
    # The whole site checks the same way: the new note is a warning at most.
    assert run(["briefing", "check"], cwd=root).returncode == 0
    meta = yaml.safe_load((root / path).read_text(encoding="utf-8").split("---\n")[1])
    assert meta["source"] == {"name": "Reuters", "url": "https://www.reuters.com/a", "language": "fr"}


def test_new_note_without_url_and_source_is_reported_missing_them(make_site):
    root = make_site(topics("chips"))
    path = run(["briefing", "new", "No source yet", "--topic", "chips", "--date", "2025-09-11"], cwd=root).stdout.strip()
    check = run(["briefing", "check", "--format", "json", path], cwd=root)
    assert check.returncode == 1
    problems = [(p["line"], p["severity"], p["field"]) for p in json.loads(check.stdout)]
    # `name:` and `url:` are there with nothing after them: reported on their own lines.
    assert problems == [(6, "error", "source.name"), (7, "error", "source.url"), (14, "warning", "summary")]


def test_two_concurrent_new_runs_leave_one_note_and_one_clear_error(make_site):
    root = make_site(topics("chips"))
    for attempt in range(5):
        args = [str(BIN / "briefing"), "new", f"Race {attempt}", "--topic", "chips", "--date", "2025-09-11"]
        racers = [
            subprocess.Popen(args, cwd=root, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)
        ]
        outcomes = sorted((proc.wait(timeout=60), *proc.communicate()) for proc in racers)
        (won, won_out, _), (lost, lost_out, lost_err) = outcomes
        assert (won, lost) == (0, 1), outcomes
        assert won_out.strip() == f"briefings/notes/2025/2025-09-11-race-{attempt}.md"
        assert lost_out == ""
        assert lost_err.strip() == f"error: briefings/notes/2025/2025-09-11-race-{attempt}.md exists; not overwriting it"
        assert "Traceback" not in lost_err
    folder = root / "briefings/notes/2025"
    assert sorted(p.name for p in folder.iterdir()) == [f"2025-09-11-race-{i}.md" for i in range(5)]


# briefing export


def _export_site(make_site) -> Path:
    return make_site(
        {
            **topics("chips", "policy"),
            "briefings/notes/2025/2025-09-11-first.md": note(title="First", topics="[chips]", extra="entities: [Baidu]\n"),
            "briefings/notes/2025/2025-10-20-second.md": note(
                title="Second", date="2025-10-20", topics="[policy]", extra="entities: [Huawei]\n"
            ),
        }
    )


def _tree(folder: Path) -> dict[str, int]:
    """Every file under ``folder`` with its mtime, in nanoseconds."""
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


def _aged(folder: Path) -> dict[str, int]:
    """Set every file's mtime a year back, so a rewrite shows whatever the clock's resolution; the new tree."""
    for path in folder.rglob("*"):
        if path.is_file():
            old = path.stat().st_mtime_ns - 365 * 86400 * 10**9
            os.utime(path, ns=(old, old))
    return _tree(folder)


def _written(result: subprocess.CompletedProcess[str]) -> int:
    match = re.search(r": (\d+) written, (\d+) unchanged, (\d+) removed", result.stderr)
    assert match, result.stderr
    return int(match[1])


def test_export_writes_a_project_with_every_page_at_the_site_path(make_site):
    root = _export_site(make_site)
    result = run(["briefing", "export", "out"], cwd=root)
    assert result.returncode == 0, result.stderr
    site = build_site(root)
    pages = {
        f"docs/{paths.document_path(page.path)}": page_document(engine_markdown(page, "zensical"), page.meta())
        for page in site.pages
    }
    assert {
        "docs/index.md",
        "docs/weeks/2025-W37/index.md",
        "docs/weeks/2025-W37/chips/index.md",
        "docs/topics/chips/index.md",
        "docs/entities/baidu/index.md",
        "docs/notes/2025/2025-09-11-first/index.md",
        "docs/notes/2025/2025-10-20-second/index.md",
    } <= set(pages)
    out = root / "out"
    files = set(_tree(out)) - {MANIFEST}
    statics = {f"docs/{static.path}" for static in site.files}
    assert {"docs/feed.xml", "docs/feed-chips.xml", "docs/assets/briefing/briefing.css"} <= statics
    theme = {
        f"overrides/{p.relative_to(THEME_DIR).as_posix()}"
        for p in THEME_DIR.rglob("*")
        if p.is_file()
        and "__pycache__" not in p.parts
        and p.relative_to(THEME_DIR).as_posix() not in MATERIAL_SEARCH_FILES  # Zensical (the default) has its own search box
    }
    assert {"overrides/404.html", "overrides/main.html"} <= theme
    assert files == set(pages) | statics | theme | {"mkdocs.yml"}
    for path, document in pages.items():
        assert (out / path).read_text(encoding="utf-8") == document, path
    for static in site.files:
        assert (out / "docs" / static.path).read_bytes() == static.data, static.path
    assert _written(result) == len(files)
    # Every page's file starts with its front matter, the title as the theme places it (escaped once).
    first = frontmatter.loads((out / "docs/notes/2025/2025-09-11-first/index.md").read_text(encoding="utf-8"))
    assert (first["title"], first["description"]) == ("First", "Summary of First.")
    config = yaml.safe_load((out / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["docs_dir"] == "docs" and config["theme"]["custom_dir"] == "overrides"
    assert "briefing" not in json.dumps(config["plugins"])  # no plugin needed to build it
    assert "attr_list" in config["markdown_extensions"]


def test_export_twice_writes_nothing_the_second_time(make_site):
    root = _export_site(make_site)
    run(["briefing", "export", "out"], cwd=root)
    before = _aged(root / "out")
    again = run(["briefing", "export", "out"], cwd=root)
    assert again.returncode == 0
    assert _written(again) == 0
    assert "0 written" in again.stderr
    assert _tree(root / "out") == before


def test_export_rewrites_only_the_pages_whose_content_changed(make_site):
    root = _export_site(make_site)
    run(["briefing", "export", "out"], cwd=root)
    out = root / "out"
    before = {path: (out / path).read_bytes() for path in _tree(out)}
    mtimes = _aged(out)
    second = root / "briefings/notes/2025/2025-10-20-second.md"
    second.write_text(second.read_text(encoding="utf-8").replace("Summary of Second.", "A new summary."), encoding="utf-8")
    result = run(["briefing", "export", "out"], cwd=root)
    after = _tree(out)
    changed = {path for path in after if (out / path).read_bytes() != before.get(path)}
    touched = {path for path in after if after[path] != mtimes.get(path)}
    assert {"docs/weeks/2025-W43/policy/index.md", "docs/notes/2025/2025-10-20-second/index.md"} <= changed
    assert touched == changed
    assert _written(result) == len(changed - {MANIFEST})  # the manifest records the new hashes, not counted
    assert "docs/weeks/2025-W37/chips/index.md" not in touched and "docs/notes/2025/2025-09-11-first/index.md" not in touched


def test_export_refuses_to_write_inside_the_docs_dir(make_site):
    root = _export_site(make_site)
    before = _tree(root / "briefings")
    for target in ("briefings/generated", "briefings", "."):
        result = run(["briefing", "export", target], cwd=root)
        assert result.returncode != 0, target
        assert "refusing to export" in result.stderr
        assert "Traceback" not in result.stderr
    assert _tree(root / "briefings") == before
    assert not (root / "briefings/generated").exists()


# --help, --version


def _commands() -> list[str]:
    text = run(["briefing", "--help"], cwd=REPO).stdout
    listing = text.split("Commands:\n", 1)[1]
    return [line.split()[0] for line in listing.splitlines() if line.startswith("  ") and line.strip()]


def test_every_command_has_help_with_an_example():
    commands = _commands()
    assert {"new", "check", "export", "schema"} <= set(commands)
    for command in commands:
        result = run(["briefing", command, "--help"], cwd=REPO)
        assert result.returncode == 0, command
        assert "Example" in result.stdout, command
        assert f"briefing {command}" in result.stdout.split("Example", 1)[1], command
    assert "Example" in run(["briefing", "--help"], cwd=REPO).stdout


def test_version():
    result = run(["briefing", "--version"], cwd=REPO)
    assert (result.returncode, result.stdout) == (0, f"briefing {version('briefing-generator')}\n")


# pre-commit


def test_pre_commit_hook_runs_briefing_check_on_notes():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "briefing-check"
    assert (hook["language"], hook["entry"], hook["pass_filenames"]) == ("python", "briefing check", True)
    files = re.compile(hook["files"])
    assert files.search("briefings/notes/2025/2025-09-11-a-note.md")
    assert files.search("briefings/topics/chips.md")
    assert not files.search("README.md") and not files.search("tests/fixtures/broken/2025-09-11-empty.md")
    # What pre-commit runs: the entry with the matched files' paths, from the repository root.
    shipped = sorted(p.relative_to(REPO).as_posix() for p in (REPO / "briefings").rglob("*.md"))
    result = run([*hook["entry"].split(), *[p for p in shipped if files.search(p)]], cwd=REPO)
    assert result.returncode == 0, result.stdout


def test_new_takes_a_repeated_topic_once_and_a_language_in_capitals_as_its_code(make_site):
    root = make_site(topics("chips"))
    new = run(
        [
            *("briefing", "new", "Nvidia takes a $5.5 billion `H20` charge", "--topic", "chips", "--topic", "chips"),
            *("--date", "2025-04-15", "--url", "https://www.reuters.com/a", "--source", "Reuters", "--language", "EN"),
        ],
        cwd=root,
    )
    assert new.returncode == 0, new.stderr
    meta = yaml.safe_load((root / new.stdout.strip()).read_text(encoding="utf-8").split("---\n")[1])
    assert meta["topics"] == ["chips"] and meta["source"]["language"] == "en"
    assert meta["title"] == "Nvidia takes a $5.5 billion `H20` charge"
    assert run(["briefing", "check", new.stdout.strip()], cwd=root).returncode == 0


@pytest.mark.parametrize(("day", "says"), [("2025-13-01", "is not a real date"), ("11/09/2025", "write it as YYYY-MM-DD")])
def test_new_says_what_is_wrong_with_a_date(make_site, day: str, says: str):
    root = make_site(topics("chips"))
    new = run(["briefing", "new", "A title", "--topic", "chips", "--date", day], cwd=root)
    assert new.returncode == 2 and says in new.stderr and "does not match the format" not in new.stderr, new.stderr


def test_make_new_passes_a_title_on_exactly_as_typed(make_site):
    """make expanded $5 in "a $5.5 billion charge" and the shell ran `...`; the recipe quotes what it is given."""
    root = make_site(topics("chips"))
    shutil.copy(REPO / "Makefile", root / "Makefile")
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    os.utime(root / "pyproject.toml", (0, 0))  # older than the installed briefing: make installs nothing
    title = """Nvidia takes a $5.5 billion `uname` charge, "big" and O'Neil $(shell echo x) $$HOME"""

    def make_new(*variables: str) -> subprocess.CompletedProcess[str]:
        command = ["make", "-s", "new", f"VENV={BIN.parent}", *variables]
        return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120, check=False)

    done = make_new(f"TITLE={title}", "TOPIC=chips", "DATE=2025-04-15")
    assert done.returncode == 0, done.stderr
    meta = yaml.safe_load((root / done.stdout.strip().splitlines()[-1]).read_text(encoding="utf-8").split("---\n")[1])
    assert meta["title"] == title
    usage = make_new("TOPIC=chips")
    assert usage.returncode != 0 and "usage: make new" in usage.stdout + usage.stderr


def test_export_strict_fails_on_any_problem_and_writes_nothing(make_site, tmp_path):
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note(extra="topic: [chips]\n")})
    out = tmp_path / "out"
    strict = run(["briefing", "export", str(out), "--strict"], cwd=root)
    assert strict.returncode == 1 and "unknown field 'topic'" in strict.stderr and "nothing exported" in strict.stderr
    assert not out.exists()
    lenient = run(["briefing", "export", str(out)], cwd=root)  # as `mkdocs build`: warned, and written
    assert lenient.returncode == 0 and "unknown field 'topic'" in lenient.stderr and (out / "mkdocs.yml").is_file()
    both = run(["briefing", "export", str(out), "--strict", "--watch"], cwd=root)
    assert both.returncode == 2
