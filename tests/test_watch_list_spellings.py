"""Topics' watch lists follow the notes' rule: two spellings with one entity slug are one error.

A watch-list name links to its entity page only when spelt as the notes
spell it; ``Kunlun-P800`` beside the notes' ``Kunlun P800`` (one page,
entities/kunlun-p800/) used to pass check and the strict build, and the
topic page showed the name unlinked.
"""

from __future__ import annotations

from conftest import build_site, note

from generator.problems import Severity

TOPIC = """\
---
title: Chips
description: Everything about chips.
entities: {entities}
---
The standing introduction.
"""
NOTE = "briefings/notes/2025/2025-09-11-kunlun.md"


def site(make_site, entities: str, *, with_note: bool = True, draft: bool = False, extra: dict[str, str] | None = None):
    files = {"briefings/topics/chips.md": TOPIC.format(entities=entities), **(extra or {})}
    if with_note:
        files[NOTE] = note(extra="entities: [Baidu, Kunlun P800]\n" + ("draft: true\n" if draft else ""))
    return build_site(make_site(files))


def topic_errors(built):
    return [(p.line, p.field, p.message) for p in built.problems if p.path == "topics/chips.md"]


def test_a_watch_list_spelling_that_differs_from_the_notes_is_an_error_at_the_entities_line(make_site):
    built = site(make_site, "[Baidu, Kunlun-P800]")
    assert topic_errors(built) == [
        (
            4,
            "entities",
            "entity 'Kunlun-P800' and 'Kunlun P800' (in notes/2025/2025-09-11-kunlun.md) share the page "
            "entities/kunlun-p800/; spell them the same",
        )
    ]
    assert all(p.severity is Severity.ERROR for p in built.problems if p.path == "topics/chips.md")


def test_the_notes_spelling_in_a_watch_list_is_fine(make_site):
    assert topic_errors(site(make_site, "[Baidu, Kunlun P800, Huawei]")) == []


def test_two_spellings_in_one_watch_list_are_an_error_without_any_note(make_site):
    found = topic_errors(site(make_site, "[kunlun p800, Kunlun-P800]", with_note=False))
    assert [(line, field) for line, field, _ in found] == [(4, "entities")]
    assert "'Kunlun-P800' and 'kunlun p800' (also in this watch list)" in found[0][2]


def test_two_topics_spelling_one_entity_differently_is_an_error(make_site):
    other = {"briefings/topics/other.md": TOPIC.format(entities="[Kunlun-P800]").replace("Chips", "Other")}
    built = site(make_site, "[kunlun p800]", with_note=False, extra=other)
    clashes = [p for p in built.problems if "share the page entities/kunlun-p800/" in p.message]
    assert len(clashes) == 1 and clashes[0].line == 4, clashes
    assert {clashes[0].path} <= {"topics/chips.md", "topics/other.md"}


def test_a_drafts_spelling_counts_too_so_check_build_and_serve_agree(make_site):
    files = {
        "briefings/topics/chips.md": TOPIC.format(entities="[Kunlun-P800]"),
        NOTE: note(extra="entities: [Kunlun P800]\ndraft: true\n"),
    }
    root = make_site(files)
    for include_drafts in (False, True):  # build leaves the draft out, serve shows it
        built = build_site(root, include_drafts=include_drafts)
        assert [(p.line, p.field) for p in built.problems if p.path == "topics/chips.md"] == [(4, "entities")]


def test_the_entities_line_is_the_files(make_site):
    spread = "\n  - Baidu\n  - Kunlun-P800"
    text = TOPIC.format(entities=spread).replace("description:", "order: 3\ndescription:")
    built = build_site(make_site({"briefings/topics/chips.md": text, NOTE: note(extra="entities: [Kunlun P800]\n")}))
    assert [(p.line, p.field) for p in built.problems if p.path == "topics/chips.md"] == [(5, "entities")]
