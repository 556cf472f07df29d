"""Rendered pages compared with reviewed golden files; `make golden` rewrites them after a template change.

The golden files are the pages as ``briefing export`` writes them (front matter, then headings and
HTML blocks): what every engine renders, so a template change shows up as a readable diff."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import core_config

from generator.assemble import assemble
from generator.export import page_document
from generator.model import Corpus, Lede, Note, Source, Topic
from generator.pages import PageMaker
from generator.render import Renderer
from generator.weeks import IsoWeek

GOLDEN = Path(__file__).parent / "golden"

TOPICS = (
    Topic("chips", "topics/chips.md", "AI chips", "Domestic accelerators.", "Standing **intro**.", ("Huawei",), 1),
    Topic("controls", "topics/controls.md", "Export controls", "Rules on chip exports.", "", (), 2),
)
NOTES = (
    Note(
        "notes/2025/2025-09-11-inhouse.md",
        "Alibaba and Baidu train models on in-house chips",
        dt.date(2025, 9, 11),
        ("chips",),
        Source("Reuters", "https://www.reuters.com/world/china/x", "en", reliability="B", credibility=2),
        "Both firms began using their own chips to train smaller models.",
        entities=("Alibaba", "Baidu", "Kunlun P800"),
        importance=5,
        confidence="likely",
        story="inhouse",
    ),
    Note(
        "notes/2025/2025-09-12-gate.md",
        "Les géants chinois délaissent Nvidia",
        dt.date(2025, 9, 12),
        ("chips",),
        Source("Gate (agrégateur)", "https://www.gate.com/fr/post/status/1", "fr", reliability="D", credibility=3),
        "A French aggregator repeats the report.",
        original_title="Alibaba et Baidu dumpent Nvidia",
        entities=("Alibaba",),
        importance=2,
        story="inhouse",
    ),
    Note(
        "notes/2025/2025-09-10-hostile.md",
        "<img src=x onerror=alert(1)> *x* | y [a](javascript:b)",
        dt.date(2025, 9, 10),
        ("chips", "controls"),
        Source("Evil <b>Source</b>", "https://example.org/a(b)c d", "zh"),
        "Summary with `code` and <script>alert(1)</script>.",
        entities=("华为",),
        importance=3,
    ),
    Note(
        "notes/2025/2025-09-01-earlier.md",
        "Earlier chapter of the story",
        dt.date(2025, 9, 1),
        ("chips",),
        Source("Caixin", "https://www.caixin.com/x", "zh", reliability="A"),
        "The story began here.",
        story="inhouse",
        importance=4,
    ),
)
LEDES = (Lede("weeks/2025-W37.md", IsoWeek(2025, 37), None, "China is **done** waiting.", ("The next earnings call",)),)


def rendered() -> dict[str, str]:
    """Every page of the archive as ``briefing export`` writes it: front matter, then the body engines render."""
    renderer = Renderer(core_config())
    archive = assemble(Corpus(NOTES, TOPICS, LEDES))
    known = frozenset(page.path for page in PageMaker(renderer).all(archive, ()))
    return {page.path: page_document(page.markdown, page.meta()) for page in PageMaker(renderer, known).all(archive, ())}


@pytest.mark.parametrize("path", sorted(rendered()))
def test_page_matches_golden(path: str, update_golden: bool) -> None:
    text = rendered()[path]
    golden = GOLDEN / path
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert golden.is_file(), f"no golden file for {path}: run `make golden` and review the new file"
    assert text == golden.read_text(encoding="utf-8"), f"{path} differs from tests/golden/{path}; if intended, run `make golden`"


def test_no_stale_golden_files(update_golden: bool) -> None:
    expected = set(rendered())
    present = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.md")}
    if update_golden:  # a page the archive no longer has: its golden file goes too
        for stale in present - expected:
            (GOLDEN / stale).unlink()
        present &= expected
    assert present == expected
