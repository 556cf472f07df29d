"""`briefing check` and `mkdocs build --strict` agree (SPEC section 8): what check accepts, the strict build
publishes; what the strict build refuses, check reports, naming the same note.

Every fixture of ``tests/fixtures/broken/`` is put into a small site of its own (the one note, its topic)
and both are run on it:

- check finds an error   ⇔ the strict build fails, naming the note;
- check finds warnings only ⇔ the strict build fails on a warning naming the note;
- check is clean         ⇔ the strict build passes;

and every problem check prints is a line the build logs. The builds are the real command, run as
subprocesses side by side; check is the library call the command prints (it exits 1 on any error).
"""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import mkdocs_build, note, site_config, topics, write_site
from test_check_cases import BROKEN, CASES, GENERATED, KNOWN_TOPIC

from generator.build import build
from generator.check import CheckReport, check

pytestmark = pytest.mark.slow

FIXTURES: dict[str, bytes] = {
    **{name: (BROKEN / name).read_bytes() for name in CASES},
    **{name: data for name, (data, _) in GENERATED.items()},
}
CLEAN = "2025-09-11-clean.md"  # and one good note, so that the third rule is tested too
FIXTURES[CLEAN] = note("A clean note", topics=f"[{KNOWN_TOPIC}]").encode("utf-8")

Outcome = tuple[CheckReport, subprocess.CompletedProcess[str]]


def _site_with(root: Path, files: dict[str, str | bytes]) -> Path:
    return write_site(root, {**topics(KNOWN_TOPIC), **files})


def _both(root: Path) -> Outcome:
    return check(site_config(root)), mkdocs_build(root, "--strict")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """Each fixture's site, checked and built strictly (the builds run side by side)."""
    roots = {
        name: _site_with(tmp_path_factory.mktemp("agree"), {f"briefings/notes/2025/{name}": data})
        for name, data in FIXTURES.items()
    }
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2)) as pool:
        builds = dict(zip(roots, pool.map(lambda root: mkdocs_build(root, "--strict"), roots.values()), strict=True))
    return {name: (check(site_config(root)), builds[name]) for name, root in roots.items()}


def _assert_agree(report: CheckReport, build: subprocess.CompletedProcess[str], note_path: str | None) -> None:
    assert "Traceback" not in build.stderr, build.stderr[-2000:]
    shown = [str(problem) for problem in report.problems]
    if report.errors:
        assert build.returncode != 0, (shown, build.stderr[-2000:])
    elif report.problems:
        assert build.returncode != 0, (shown, build.stderr[-2000:])
        assert "WARNING" in build.stderr
    else:
        assert build.returncode == 0, build.stderr[-2000:]
    if note_path is not None and report.problems:
        assert note_path in build.stderr, build.stderr[-2000:]
    for line in shown:  # the same problems, word for word (the build may add that the note is left out)
        assert line in build.stderr, (line, build.stderr[-2000:])


def test_every_fixture_is_in_a_site() -> None:
    assert len(FIXTURES) == len(CASES) + len(GENERATED) + 1


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_check_and_strict_build_agree(outcomes: dict[str, Outcome], name: str) -> None:
    report, build = outcomes[name]
    path = f"briefings/notes/2025/{name}"
    if name == CLEAN:
        assert report.problems == ()
    else:
        assert report.problems and {p.path for p in report.problems} == {path}, report.problems
    _assert_agree(report, build, path)


# Drafts: check validates them and counts them as published (it builds with drafts, as `mkdocs serve`
# does), while `mkdocs build` publishes without them; every site-wide rule that depends on which notes
# are published can then give check and the strict build different verdicts.
DRAFT = "draft: true\n"
DRAFT_CASES = {
    # check clean, strict build fails: "no notes in 2025-W37" (the week's only note is a draft).
    "lede-of-a-draft-only-week": {
        "briefings/notes/2025/2025-09-11-a.md": note("A", extra=DRAFT),
        "briefings/notes/2025/2025-09-01-b.md": note("B", "2025-09-01"),
        "briefings/weeks/2025-W37.md": "The bottom line.\n",
        "briefings/weeks/2025-W36.md": "The bottom line.\n",
    },
    # check clean, strict build fails: the link's target is not published.
    "link-to-a-draft": {
        "briefings/notes/2025/2025-09-11-a.md": note("A", extra=DRAFT),
        "briefings/notes/2025/2025-09-12-b.md": note("B", "2025-09-12", body="See [a](2025-09-11-a.md)."),
    },
    # check exits 1 (same URL), strict build passes (the draft is not published).
    "url-clash-with-a-draft": {
        "briefings/notes/2025/2025-09-11-a.md": note("A", extra=DRAFT),
        "briefings/notes/2025/2025-09-11-A.md": note("B"),
    },
    # A draft spelling an entity another way than a published note: the draft's error, in check, build and serve.
    "entity-clash-in-a-draft": {
        "briefings/notes/2025/2025-09-11-a.md": note("A", extra=DRAFT + "entities: [Kunlun-M200]\n"),
        "briefings/notes/2025/2025-09-12-b.md": note("B", "2025-09-12", extra="entities: [Kunlun M200]\n"),
    },
    # check warns (the draft's week is the latest, with no lede), strict build passes (its latest week has one).
    "latest-week-only-drafts": {
        "briefings/notes/2025/2025-09-20-a.md": note("A", "2025-09-20", extra=DRAFT),
        "briefings/notes/2025/2025-09-11-b.md": note("B"),
        "briefings/weeks/2025-W37.md": "The bottom line.\n",
    },
}


@pytest.mark.parametrize("case", sorted(DRAFT_CASES))
def test_check_and_strict_build_agree_with_drafts(tmp_path: Path, case: str) -> None:
    files = {rel: text.replace("[chips]", f"[{KNOWN_TOPIC}]") for rel, text in DRAFT_CASES[case].items()}
    report, build = _both(_site_with(tmp_path, files))
    _assert_agree(report, build, None)


def test_a_draft_alone_agrees(tmp_path: Path) -> None:
    """The common case with a draft (valid, linked from nowhere, in a week with published notes) agrees."""
    files = {
        "briefings/notes/2025/2025-09-11-a.md": note("A", topics=f"[{KNOWN_TOPIC}]", extra=DRAFT),
        "briefings/notes/2025/2025-09-12-b.md": note("B", "2025-09-12", topics=f"[{KNOWN_TOPIC}]"),
    }
    report, build = _both(_site_with(tmp_path, files))
    assert report.problems == ()
    _assert_agree(report, build, None)


def test_a_clash_with_a_draft_is_the_drafts_problem_and_never_hides_a_published_note(tmp_path: Path) -> None:
    """Drafts are validated like every note (SPEC 3): a clash shows in check and in both builds, on the draft."""
    files = {
        "briefings/notes/2025/2025-09-10-a.md": note(
            "A", "2025-09-10", topics=f"[{KNOWN_TOPIC}]", extra=DRAFT + "entities: [Kunlun-M200]\n"
        ),
        "briefings/notes/2025/2025-09-12-b.md": note(
            "B", "2025-09-12", topics=f"[{KNOWN_TOPIC}]", extra="entities: [Kunlun M200]\n"
        ),
    }
    root = _site_with(tmp_path, files)
    for include_drafts in (False, True):  # mkdocs build, mkdocs serve
        site = build(site_config(root), include_drafts=include_drafts)
        clashes = [p for p in site.problems if "share the page" in p.message]
        assert [p.path for p in clashes] == ["notes/2025/2025-09-10-a.md"], site.problems
        assert [n.path for n in site.corpus.notes] == ["notes/2025/2025-09-12-b.md"]
    report = check(site_config(root))
    assert report.errors == 1 and str(report.problems[0]).startswith("briefings/notes/2025/2025-09-10-a.md:11: error: entity")


def test_a_quiet_strict_build_fails_on_a_rejected_note(tmp_path: Path) -> None:
    """`--quiet` hid every warning from MkDocs' strict count: the note was left out and the build passed."""
    root = write_site(
        tmp_path,
        {**topics(KNOWN_TOPIC), "briefings/notes/2025/2025-09-11-a.md": note("A", date="2025-13-45", topics=f"[{KNOWN_TOPIC}]")},
    )
    built = mkdocs_build(root, "--strict", "--quiet")
    assert built.returncode != 0
    assert "'date' is not a real date" in built.stderr
