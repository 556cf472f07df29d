"""The pure core: weeks, loading, assembly, rendering and the whole ``build()``, without MkDocs."""

from __future__ import annotations

import datetime as dt
import functools
import random
import re
import tempfile
from pathlib import Path

import pytest
from conftest import REPO, build_site, core_config, note, site_config, topics, write_site
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import blocks
from generator.assemble import Archive, assemble
from generator.build import build
from generator.escape import escape_text
from generator.loader import ParseCache, load_site
from generator.model import Corpus, Lede, Note, Source, Topic
from generator.pages import PageMaker
from generator.render import Renderer
from generator.site import Page, PageKind
from generator.weeks import IsoWeek

TOPICS = (
    Topic("chips", "topics/chips.md", "Chips", "About chips.", order=1),
    Topic("rules", "topics/rules.md", "Rules", "About rules.", order=2),
)


def make_note(index: int, day: dt.date, topic_slugs: tuple[str, ...], importance: int = 3, story: str | None = None) -> Note:
    return Note(
        path=f"notes/{day.year}/{day.isoformat()}-n{index}.md",
        title=f"Note {index}",
        date=day,
        topics=topic_slugs,
        source=Source(f"Source {index % 4}", f"https://example.org/{index}", language=("en", "fr", "zh")[index % 3]),
        summary=f"Summary {index}.",
        entities=(f"Entity {index % 5}",),
        importance=importance,
        story=story,
    )


@functools.cache
def renderer() -> Renderer:
    """One Renderer (one Jinja2 environment, templates compiled once) for the pure tests; it keeps no state between pages."""
    return Renderer(core_config())


def pages_of(archive: Archive) -> list[Page]:
    """Every generated page of an archive (no editor pages), as ``build`` composes them."""
    renderer_ = renderer()
    known = frozenset(page.path for page in PageMaker(renderer_).all(archive, ()))
    return list(PageMaker(renderer_, known).all(archive, ()))


def composed(pages: list[Page]) -> list[tuple[str, PageKind, str, str, str]]:
    return [(p.path, p.kind, p.title, p.description, p.markdown) for p in pages]


@pytest.mark.parametrize(
    ("day", "label", "range_label"),
    [
        (dt.date(2024, 12, 30), "2025-W01", "30 Dec 2024 – 5 Jan 2025"),
        (dt.date(2027, 1, 1), "2026-W53", "28 Dec 2026 – 3 Jan 2027"),
        (dt.date(2025, 9, 11), "2025-W37", "8–14 Sep 2025"),
        (dt.date(2025, 10, 1), "2025-W40", "29 Sep – 5 Oct 2025"),
        (dt.date(2021, 1, 3), "2020-W53", "28 Dec 2020 – 3 Jan 2021"),
    ],
)
def test_iso_weeks(day: dt.date, label: str, range_label: str) -> None:
    week = IsoWeek.of(day)
    assert week.label == label
    assert week.range_label == range_label
    assert IsoWeek.parse(label) == week
    assert week.monday <= day <= week.sunday


def test_week_labels_that_do_not_exist_are_refused() -> None:
    assert IsoWeek.parse("2025-W53") is None  # 2025 has 52 ISO weeks
    assert IsoWeek.parse("2026-W53") is not None
    assert IsoWeek.parse("2025-W00") is None
    assert IsoWeek.parse("2025-37") is None


def test_load_site_reads_notes_topics_and_ledes(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            **topics("chips"),
            "briefings/notes/2025/2025-09-11-a.md": note("A", extra="entities: [Kunlun P800, 华为]\nstory: s1\n"),
            "briefings/weeks/2025-W37.md": "---\nwatch: [Next step]\n---\nBottom line.\n",
            "briefings/weeks/2025-W37/chips.md": "Chips bottom line.\n",
        },
    )
    corpus = load_site(root / "briefings")
    assert corpus.problems == ()
    (only,) = corpus.notes
    assert only.entities == ("Kunlun P800", "华为")
    assert only.source.language == "en" and only.importance == 3 and only.story == "s1"
    assert {(lede.week.label, lede.topic, lede.watch) for lede in corpus.ledes} == {
        ("2025-W37", None, ("Next step",)),
        ("2025-W37", "chips", ()),
    }
    assert [page.path for page in corpus.pages] == ["index.md"]  # the editor's home page


def test_parse_cache_rereads_only_changed_files(tmp_path: Path) -> None:
    root = write_site(tmp_path, {**topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note("First title")})
    docs = root / "briefings"
    cache = ParseCache()
    assert load_site(docs, cache=cache).notes[0].title == "First title"
    path = docs / "notes/2025/2025-09-11-a.md"
    path.write_text(note("Second, longer title"), encoding="utf-8")
    assert load_site(docs, cache=cache).notes[0].title == "Second, longer title"
    path.unlink()
    assert load_site(docs, cache=cache).notes == ()


def test_a_rebuild_keeps_the_objects_of_what_did_not_change(tmp_path: Path) -> None:
    """Serve remembers composed pages under keys holding notes and the site's paths: the same objects
    compare by identity, where equal copies were compared field by field on every rebuild."""
    root = write_site(
        tmp_path,
        {**topics("chips"), **{f"briefings/notes/2025/2025-09-1{i}-n{i}.md": note(f"N{i}", f"2025-09-1{i}") for i in (1, 2)}},
    )
    config, cache = site_config(root), ParseCache()
    renderer = Renderer(config, memoize=True)
    first = build(config, cache=cache, renderer=renderer)
    changed = root / "briefings/notes/2025/2025-09-12-n2.md"
    changed.write_text(note("N2, edited", "2025-09-12"), encoding="utf-8")
    second = build(config, cache=cache, renderer=renderer)
    assert second.corpus.notes[0] is first.corpus.notes[0]  # unchanged: the same object
    assert second.corpus.notes[1] is not first.corpus.notes[1] and second.corpus.notes[1].title == "N2, edited"
    paths = renderer.same_as_last(frozenset({"a.md", "b.md"}))
    assert renderer.same_as_last(frozenset({"a.md", "b.md"})) is paths
    assert renderer.same_as_last(frozenset({"a.md"})) == {"a.md"}


def test_story_is_one_item_led_by_most_important_then_earliest() -> None:
    day = dt.date(2025, 9, 8)
    notes = (
        make_note(1, day + dt.timedelta(days=2), ("chips",), importance=3, story="s"),
        make_note(2, day + dt.timedelta(days=1), ("chips",), importance=4, story="s"),
        make_note(3, day, ("chips",), importance=4, story="s"),
        make_note(4, day, ("chips",), importance=5),
    )
    archive = assemble(Corpus(notes, TOPICS))
    (briefing,) = archive.briefings["chips"]
    assert [[n.title for n in item.notes] for item in briefing.items] == [["Note 4"], ["Note 3", "Note 2", "Note 1"]]


def test_continuing_story_links_to_earlier_weeks_and_neighbours() -> None:
    first, later = dt.date(2025, 9, 1), dt.date(2025, 9, 22)
    notes = (make_note(1, first, ("chips",), story="s"), make_note(2, later, ("chips",), story="s"))
    archive = assemble(Corpus(notes, TOPICS))
    newest, oldest = archive.briefings["chips"]
    assert newest.items[0].earlier == (IsoWeek.of(first),)
    assert oldest.items[0].earlier == ()
    assert (newest.previous, oldest.next) == (IsoWeek.of(first), IsoWeek.of(later))
    assert newest.next is None and oldest.previous is None


def test_digest_has_topics_in_order_and_ledes() -> None:
    day = dt.date(2025, 9, 11)
    week = IsoWeek.of(day)
    ledes = (Lede("weeks/2025-W37.md", week, None, "Week lede"), Lede("weeks/2025-W37/rules.md", week, "rules", "Rules lede"))
    archive = assemble(Corpus((make_note(1, day, ("rules", "chips")),), TOPICS, ledes))
    (digest,) = archive.digests
    assert [b.topic.slug for b in digest.briefings] == ["chips", "rules"]
    assert digest.lede is not None and digest.lede.body == "Week lede"
    assert archive.briefings["rules"][0].lede is not None and archive.briefings["chips"][0].lede is None


def test_escape_makes_markup_literal() -> None:
    hostile = "<img src=x onerror=alert(1)> *x* | y [a](javascript:b) :smile: ==m== - list"
    escaped = escape_text(hostile)
    for char in "<>*|[]():=":
        assert char not in escaped
    assert escape_text("1. Ordered?").startswith("&#49;")


notes_strategy = st.lists(
    st.tuples(
        st.dates(min_value=dt.date(2019, 12, 20), max_value=dt.date(2027, 1, 10)),
        st.sets(st.sampled_from(["chips", "rules"]), min_size=1).map(lambda s: tuple(sorted(s))),
        st.integers(1, 5),
        st.one_of(st.none(), st.sampled_from(["s1", "s2"])),
        st.booleans(),
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(notes_strategy, st.randoms(use_true_random=False))
def test_every_note_lands_once_per_topic_and_output_is_deterministic(specs: list, rnd: random.Random) -> None:  # type: ignore[type-arg]
    notes = [make_note(i, day, slugs, importance, story) for i, (day, slugs, importance, story, _) in enumerate(specs)]
    archive = assemble(Corpus(tuple(notes), TOPICS))
    for slug in ("chips", "rules"):
        placed = [(n.path, b.week) for b in archive.briefings.get(slug, ()) for n in b.notes]
        expected = sorted((n.path, n.week) for n in notes if slug in n.topics)
        assert sorted(placed) == expected  # exactly once, in the note's own ISO week
    for briefing in (b for briefings in archive.briefings.values() for b in briefings):
        keys = [item.sort_key() for item in briefing.items]
        assert keys == sorted(keys)
    for digest in archive.digests:  # the digest prints each note of the week exactly once
        assert sorted(n.path for n in digest.notes) == sorted(n.path for n in notes if n.week == digest.week)
    shuffled = notes[:]
    rnd.shuffle(shuffled)
    assert composed(pages_of(archive)) == composed(pages_of(assemble(Corpus(tuple(shuffled), TOPICS))))


def test_build_reports_lede_for_a_week_without_notes(tmp_path: Path) -> None:
    root = write_site(tmp_path, {**topics("chips"), "briefings/weeks/2025-W10.md": "Nothing happened.\n"})
    site = build_site(root)
    assert [str(p) for p in site.problems] == ["weeks/2025-W10.md:1: warning: no notes in 2025-W10; this lede is not shown"]


@settings(max_examples=25, deadline=None)
@given(notes_strategy)
def test_every_valid_non_draft_note_on_disk_is_in_one_briefing_per_topic(specs: list) -> None:  # type: ignore[type-arg]
    with tempfile.TemporaryDirectory() as tmp:
        files = dict(topics("chips", "rules"))
        for i, (day, slugs, importance, story, draft) in enumerate(specs):
            extra = f"importance: {importance}\ndraft: {str(draft).lower()}\n" + (f"story: {story}\n" if story else "")
            files[f"briefings/notes/{day.year}/{day.isoformat()}-n{i}.md"] = note(
                f"N{i}", day.isoformat(), f"[{', '.join(slugs)}]", extra=extra
            )
        root = write_site(Path(tmp), files)
        first = build_site(root)
        assert first.problems == ()
        for slug in ("chips", "rules"):
            placed = sorted(n.title for b in first.archive.briefings.get(slug, ()) for n in b.notes)
            assert placed == sorted(f"N{i}" for i, spec in enumerate(specs) if slug in spec[1] and not spec[4])
        published = {page.path for page in first.pages if page.kind is PageKind.NOTE}
        assert published == {f"notes/{d.year}/{d.isoformat()}-n{i}.md" for i, (d, *_, draft) in enumerate(specs) if not draft}
        assert composed(list(build_site(root).pages)) == composed(list(first.pages))


def test_each_item_appears_once_continuing_minor_ones_apart() -> None:
    first, later = dt.date(2025, 9, 1), dt.date(2025, 9, 22)
    notes = (
        make_note(1, first, ("chips",), story="big"),
        make_note(2, first, ("chips",), story="small"),
        make_note(3, later, ("chips",), importance=5, story="big"),
        make_note(4, later, ("chips",), importance=2, story="small"),
        make_note(5, later, ("chips",), importance=2),
    )
    archive = assemble(Corpus(notes, TOPICS))
    newest = archive.briefings["chips"][0]
    assert [i.lead.title for i in newest.key_items] == ["Note 3"]
    assert [i.lead.title for i in newest.new_other_items] == ["Note 5"]
    assert [i.lead.title for i in newest.continuing_items] == ["Note 4"]
    page = PageMaker(renderer()).briefing_page(newest).markdown
    assert page.count(">Note 3</a>") == 1 and page.count(">Note 4</a>") == 1
    assert page.index("Key developments") < page.index("Other items") < page.index("Continuing stories")
    headings = [b for b in PageMaker(renderer()).briefing_page(newest).blocks if isinstance(b, blocks.Heading)]
    assert [(h.level, h.id) for h in headings][:3] == [(1, "chips-week-39-2025"), (2, "key-developments"), (3, "note-3")]


# ---- the digest: each story once ------------------------------------------------------------


def _story_in_two_topics(importance: int) -> Archive:
    """One story told in both topics the same week (one source only under rules), and a note of rules alone."""
    day = dt.date(2025, 9, 10)
    notes = (
        make_note(1, day, ("chips", "rules"), importance=importance, story="s"),
        make_note(2, day + dt.timedelta(days=1), ("rules",), importance=importance, story="s"),
        make_note(3, day, ("chips",), importance=min(importance, 3), story="s"),
        make_note(4, day, ("rules",)),
    )
    return assemble(Corpus(notes, TOPICS))


@pytest.mark.parametrize("importance", [4, 2], ids=["key", "minor"])
def test_story_in_two_topics_is_one_digest_item_under_the_first_topic(importance: int) -> None:
    (digest,) = _story_in_two_topics(importance).digests
    chips, rules = digest.sections
    assert (chips.topic.slug, rules.topic.slug) == ("chips", "rules")
    (story,) = chips.items
    assert story.lead.title == "Note 1"
    assert [t.slug for t in story.topics] == ["chips", "rules"]
    assert sorted(n.title for n in story.item.notes) == ["Note 1", "Note 2", "Note 3"]  # the union of both topics' sources
    assert [i.lead.title for i in rules.items] == ["Note 4"]  # not again under rules
    assert rules.shown_above == 1
    assert [n.title for n in digest.notes].count("Note 1") == 1
    # Each topic's own briefing still has the whole story.
    assert {n.title for n in rules.briefing.notes} == {"Note 1", "Note 2", "Note 4"}


@pytest.mark.parametrize("importance", [4, 2], ids=["key", "minor"])
def test_story_in_two_topics_is_printed_once_in_the_digest_page(importance: int) -> None:
    archive = _story_in_two_topics(importance)
    page = next(p for p in pages_of(archive) if p.kind is PageKind.DIGEST).markdown
    chips, rules = page.index("## Chips"), page.index("## Rules")
    assert page.count(">Note 1<") == 1  # the lead, once (a heading link, or a link in the short list)
    assert chips < page.index(">Note 1<") < rules  # under the first topic
    assert "1 of them above" in page[rules:]
    assert "2 items from 4 sources in 2 topics" in page  # counted once too
    item = page[page.index(">Note 1<") : rules]
    if importance >= 4:  # a key item: every note of both topics, once, with the item, and every topic it is in
        for other in ("Note 2", "Note 3"):
            assert page.count(f">{other}<") == 1 and f">{other}<" in item, other
        topics_line = item[item.index('class="bf-topics"') :].split("</p>", 1)[0]
        assert ">Chips</a>" in topics_line and ">Rules</a>" in topics_line
    else:  # a minor one, a line of the short list: every source of both topics, and the other topic
        line = item.split("</li>", 1)[0]
        sources = {n.source.name for n in archive.digests[0].notes if n.story == "s"}
        assert len(sources) > 1 and all(source in line for source in sources), (sources, line)
        assert "also in" in line and ">Rules</a>" in line


def test_digest_page_without_stories_lists_every_item_under_its_first_topic() -> None:
    day = dt.date(2025, 9, 10)
    notes = (make_note(1, day, ("chips", "rules"), importance=5), make_note(2, day, ("rules",), importance=5))
    page = next(p for p in pages_of(assemble(Corpus(notes, TOPICS))) if p.kind is PageKind.DIGEST).markdown
    assert page.count(">Note 1</a>") == 1 and page.count(">Note 2</a>") == 1
    assert page.index("## Chips") < page.index(">Note 1</a>") < page.index("## Rules") < page.index(">Note 2</a>")


# ---- the generated markup's sanitiser and the templates -------------------------------------


def test_every_element_the_templates_write_survives_the_sanitiser() -> None:
    written = "".join(path.read_text(encoding="utf-8") for path in sorted((REPO / "templates").glob("*.html.j2")))
    written += (REPO / "generator" / "chart.py").read_text(encoding="utf-8")
    tags = set(re.findall(r"<([a-z][a-z0-9]*)[\s>/]", written))
    assert {"a", "div", "p", "ol", "li"} <= tags  # the scan finds the templates' markup
    assert tags - blocks.GENERATED_TAGS == set()


def test_briefing_pager_is_a_navigation_landmark() -> None:
    first, later = dt.date(2025, 9, 1), dt.date(2025, 9, 22)
    archive = assemble(Corpus((make_note(1, first, ("chips",)), make_note(2, later, ("chips",))), TOPICS))
    page = PageMaker(renderer()).briefing_page(archive.briefings["chips"][0]).markdown
    assert '<nav class="bf-pager" aria-label="Other weeks">' in page
    assert 'rel="prev"' in page


def test_generated_markup_keeps_only_what_templates_write() -> None:
    """The sanitiser of generated markup is a last line of defence: it must still remove what no template writes."""
    dirty = (
        '<p onclick="x()">a<script>alert(1)</script><a href="javascript:alert(2)">b</a><iframe src="https://e.x"></iframe></p>'
    )
    clean = blocks.clean_generated(dirty)
    assert "onclick" not in clean and "<script" not in clean and "javascript:" not in clean and "<iframe" not in clean
    assert clean.startswith("<p>a") and ">b</a>" in clean


def test_a_draft_in_a_briefing_is_marked_as_one_under_serve(make_site) -> None:
    root = make_site(
        {
            **topics("chips"),
            "briefings/notes/2025/2025-09-11-a.md": note("Published one"),
            "briefings/notes/2025/2025-09-12-b.md": note("Draft one", "2025-09-12", extra="draft: true\n"),
        }
    )
    served = build_site(root, include_drafts=True)
    briefing = next(p for p in served.pages if p.path == "weeks/2025-W37/chips.md")
    assert briefing.markdown.count("Draft: shown by <code>mkdocs serve</code> only") == 1
    digest = next(p for p in served.pages if p.path == "weeks/2025-W37/index.md")
    assert "· draft" in digest.markdown or "Draft: shown by" in digest.markdown
    published = build_site(root)
    assert not any("Draft: shown by" in p.markdown or "· draft" in p.markdown for p in published.pages)
