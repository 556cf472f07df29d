"""The benchmark's synthetic corpus: the same seed gives the same bytes, and every note is valid.

No timing here: ``make bench`` measures; these tests only guard what it measures.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # bench/ is not installed, only the generator is

from bench.corpus import PINNED_DATES, generate, write_sites
from generator.build import build
from generator.settings import read_config
from generator.weeks import IsoWeek


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    write_sites(generate(60, seed=7), tmp_path / "a")
    write_sites(generate(60, seed=7), tmp_path / "b")
    first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert first == second
    assert len([p for p in first if p.startswith("ours/briefings/notes/")]) == 60
    write_sites(generate(60, seed=8), tmp_path / "c")
    assert _tree(tmp_path / "c") != first


def test_notes_pass_validation(tmp_path: Path) -> None:
    corpus = generate(300)
    sites = write_sites(corpus, tmp_path)
    site = build(read_config(sites["ours"] / "mkdocs.yml"))
    assert [str(p) for p in site.problems if p.path.startswith(("notes/", "topics/")) or p.severity.value == "error"] == []
    assert len(site.corpus.notes) == 300
    assert len(site.corpus.topics) >= 3
    assert site.corpus.ledes


def test_the_benchmark_site_has_no_problem_at_all(tmp_path: Path) -> None:
    sites = write_sites(generate(300), tmp_path)
    assert [str(p) for p in build(read_config(sites["ours"] / "mkdocs.yml")).problems] == []


def test_corpus_has_what_the_benchmark_needs() -> None:
    corpus = generate(1000)
    notes = corpus.notes
    weeks = {IsoWeek.of(note.date) for note in notes}
    assert any(week.week == 53 for week in weeks)  # 2026-W53
    assert IsoWeek.of(dt.date(2024, 12, 30)) in weeks  # a week whose ISO year is not the calendar year
    assert {note.date for note in notes[: len(PINNED_DATES)]} == set(PINNED_DATES)
    assert len({note.date.year for note in notes}) >= 4
    assert {note.source["language"] for note in notes} == {"en", "fr", "zh", "de"}
    assert sum(1 for note in notes if note.story) > 50
    # Zipf-like: the most named entity is named far more often than the median one.
    counts: dict[str, int] = {}
    for note in notes:
        for name in note.entities:
            counts[name] = counts.get(name, 0) + 1
    ranked = sorted(counts.values(), reverse=True)
    assert 150 <= len(counts) <= 200
    assert ranked[0] > 10 * ranked[len(ranked) // 2]
    words = [len(note.body.split()) for note in notes if note.source["language"] != "zh"]
    assert 180 <= sum(words) / len(words) <= 320
    assert all("> " in note.body and "\n- " in note.body for note in notes)


def test_three_sites_hold_the_same_notes(tmp_path: Path) -> None:
    corpus = generate(40)
    sites = write_sites(corpus, tmp_path)
    for note in corpus.notes:
        assert (sites["ours"] / "briefings/notes" / note.rel).is_file()
        assert (sites["plain"] / "docs/notes" / note.rel).read_bytes() == (
            sites["ours"] / "briefings/notes" / note.rel
        ).read_bytes()
        post = (sites["blog"] / "docs/blog/posts" / note.rel).read_text(encoding="utf-8")
        assert f"# {note.title}\n" in post and "draft: false\n" in post and "<!-- more -->" in post
        assert note.body in post
    for site in sites.values():
        assert (site / "mkdocs.yml").is_file()


def test_the_benchmarks_generator_task_runs(tmp_path: Path) -> None:
    from bench import tasks

    sites = write_sites(generate(40), tmp_path)
    report = tasks.generator(sites["ours"] / "briefings")
    assert report["notes"] == 40 and report["pages"] > 40
