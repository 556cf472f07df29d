"""Front matter problems an editor cannot see, reported where they are and by field.

YAML ends a line at U+2028 (line separator) and U+2029 (paragraph separator),
an editor's editor does not: outside quotes one used to surface as "could not
find expected ':'" a line further on, with no field named. Nesting too deep was
reported at the first line of the front matter. Each is now one error at the
line an editor sees it on, naming the field and, for a character, the character.
"""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import build_site, note, topics

from generator import schema
from generator.frontmatter import MAX_NESTING, load_yaml, read_text, split
from generator.problems import Problem, Severity

BASE = {
    "title": "Baidu shows a Kunlun P800 cluster",  # line 2
    "date": "2025-09-11",  # 3
    "topics": "[chips]",  # 4
    "source": "\n  name: Example News\n  url: https://example.org/a\n  language: en",  # 5 (name 6, url 7, language 8)
    "summary": "Baidu showed a cluster.",  # 9
}
SEPARATORS = {"\u2028": "U+2028 (line separator)", "\u2029": "U+2029 (paragraph separator)"}
# Every character YAML reads as a line break and an editor does not (U+0085 is a C1 control, refused as such).
INVISIBLE_BREAKS = {**SEPARATORS, "\x85": "U+0085 (next line)"}


def front_matter(**fields: str) -> str:
    merged = {**BASE, **fields}
    return "".join(f"{key}: {value}\n" for key, value in merged.items())


def problems_of(yaml_text: str) -> list[Problem]:
    """What ``briefing check`` finds in a note with this front matter, cross-file checks aside."""
    doc = split(f"---\n{yaml_text}---\nBody.\n", "n.md")
    found = list(doc.problems)
    if doc.meta is not None:
        found += schema.check(doc.meta, schema.NOTE_FIELDS, "n.md")[1]
    return found


def values_of(yaml_text: str) -> dict[str, object]:
    doc = split(f"---\n{yaml_text}---\nBody.\n", "n.md")
    assert doc.meta is not None and doc.problems == [], doc.problems
    values, found = schema.check(doc.meta, schema.NOTE_FIELDS, "n.md")
    assert found == [], found
    return values


def where(problems: list[Problem]) -> list[tuple[int, str]]:
    return [(p.line, p.field) for p in problems if p.severity is Severity.ERROR]


# Invisible line breaks


@pytest.mark.parametrize("char", sorted(INVISIBLE_BREAKS))
def test_an_invisible_break_in_a_plain_value_is_one_error_at_its_own_line(char):
    """The reported case: `title: A test<U+2028>note` on line 2 was an error about a ':' on line 3."""
    found = problems_of(front_matter(title=f"A test{char}note"))
    assert where(found) == [(2, "title")], found
    (problem,) = found
    assert INVISIBLE_BREAKS[char] in problem.message and "delete it" in problem.message
    assert "column 14" in problem.message
    assert "not valid YAML" not in problem.message and char not in problem.message


@pytest.mark.parametrize("char", sorted(SEPARATORS))
def test_the_message_says_what_yaml_makes_of_a_line_separator(char):
    (problem,) = problems_of(front_matter(title=f"A test{char}note"))
    assert problem.message == (
        f"'title' contains an invisible line break {SEPARATORS[char]} at column 14: "
        "YAML ends the line there, an editor shows none; delete it"
    )


@pytest.mark.parametrize("char", sorted(INVISIBLE_BREAKS))
def test_an_invisible_break_in_a_nested_value_names_the_nested_field(char):
    found = problems_of(front_matter(source=BASE["source"].replace("Example News", f"Example{char}News")))
    assert where(found) == [(6, "source.name")], found
    assert INVISIBLE_BREAKS[char] in found[0].message


@pytest.mark.parametrize("char", sorted(INVISIBLE_BREAKS))
def test_an_invisible_break_in_a_key_is_reported_as_in_the_key(char):
    found = problems_of(front_matter() + f"impor{char}tance: 3\n")
    errors = [p for p in found if p.severity is Severity.ERROR]
    assert [p.line for p in errors] == [10], found
    assert errors[0].message.startswith("the key 'impor\\")
    assert INVISIBLE_BREAKS[char] in errors[0].message and char not in errors[0].message + errors[0].field


@pytest.mark.parametrize("char", sorted(SEPARATORS))
def test_a_line_separator_in_a_quoted_key_is_an_error_too(char):
    """A key is one line to YAML even in quotes; this one would be a parse error a line further on."""
    found = problems_of(front_matter() + f'"impor{char}tance": 3\n')
    errors = [p for p in found if p.severity is Severity.ERROR]
    assert [p.line for p in errors] == [10], found
    assert "the key" in errors[0].message and SEPARATORS[char] in errors[0].message
    assert not any("not valid YAML" in p.message for p in found)


@pytest.mark.parametrize("char", sorted(INVISIBLE_BREAKS))
@pytest.mark.parametrize("style", ["|", ">", "|-", ">+"])
def test_an_invisible_break_in_a_block_scalar_is_reported_at_its_line(char, style):
    summary = f"{style}\n  Baidu showed{char}a cluster\n  of chips."
    found = problems_of(front_matter(summary=summary))
    assert where(found) == [(10, "summary")], found
    assert INVISIBLE_BREAKS[char] in found[0].message and "column 15" in found[0].message


@pytest.mark.parametrize("char", sorted(INVISIBLE_BREAKS))
def test_an_invisible_break_in_a_flow_list_is_reported_at_its_line(char):
    found = problems_of(front_matter() + f"entities: [Baidu, Kunlun{char}P800]\n")
    assert where(found) == [(10, "entities")], found


@pytest.mark.parametrize("quote", ['"', "'"])
@pytest.mark.parametrize("char", sorted(SEPARATORS))
def test_a_line_separator_inside_quotes_is_kept_by_yaml_and_read_as_a_space(char, quote):
    """Inside quotes YAML keeps the character, and the schema makes it a space as it does a quoted line break.

    The same value as the escape ``"\\u2028"`` written on purpose, and as a line break inside quotes.
    """
    written = values_of(front_matter(title=f"{quote}Baidu shows{char}a Kunlun P800 cluster{quote}"))
    escaped = values_of(front_matter(title=f'"Baidu shows\\u{ord(char):04x}a Kunlun P800 cluster"'))
    broken = values_of(front_matter(title='"Baidu shows\n  a Kunlun P800 cluster"'))
    assert written["title"] == escaped["title"] == broken["title"] == "Baidu shows a Kunlun P800 cluster"


@pytest.mark.parametrize("char", sorted(SEPARATORS))
def test_a_line_separator_inside_quotes_in_a_list_or_nested_field_is_kept_too(char):
    values = values_of(
        front_matter(source=BASE["source"].replace("Example News", f'"Example{char}News"'))
        + f"entities: [Baidu, 'Kunlun{char}P800']\n"
    )
    assert values["source"]["name"] == "Example News"  # type: ignore[index]
    assert values["entities"] == ("Baidu", "Kunlun P800")


def test_the_next_line_character_is_refused_even_inside_quotes():
    """U+0085 is a C1 control, which XML cannot carry: refused everywhere, as before."""
    found = problems_of(front_matter(title='"A test\x85note"'))
    assert where(found) == [(2, "title")] and "U+0085 (next line)" in found[0].message


def test_each_invisible_break_is_reported_at_its_own_line_and_the_lines_after_stay_right():
    text = (
        front_matter(title="A test\u2028note", summary="Baidu\u2029showed") + 'original_title: "kept\u2028here"\nimportance: 9\n'
    )
    found = problems_of(text)
    assert where(found) == [(2, "title"), (9, "summary"), (11, "importance")], found
    assert f"---\n{text}".split("\n")[10] == "importance: 9"


def test_a_plain_and_a_quoted_separator_on_one_line_report_the_plain_one():
    found = problems_of(front_matter() + "entities: ['Kunlun\u2028P800', Bai\u2028du]\n")
    assert where(found) == [(10, "entities")], found
    assert "column 30" in found[0].message  # the second one; the first is inside quotes


def test_a_separator_in_a_comment_is_reported_at_its_line():
    found = problems_of(front_matter() + "# a comment\u2028with a break\nimportance: 3\n")
    assert where(found) == [(10, "")], found
    assert found[0].message.startswith("front matter contains an invisible line break U+2028")


def test_check_reports_the_reported_case_at_its_line(make_site):
    bad = note(title="A test\u2028note", summary="A summary.")
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-bad.md": bad})
    site = build_site(root)
    (problem,) = [p for p in site.problems if p.path.endswith("2025-09-11-bad.md")]
    assert (problem.line, problem.field) == (2, "title") and "U+2028 (line separator)" in problem.message


# A lone CR is a line break to editors and to YAML alike: never an invisible one.


def test_a_file_saved_with_lone_carriage_returns_reads_with_the_editors_line_numbers():
    raw = note(title="Old Mac", extra="importance: 9\n").replace("\n", "\r").encode()
    text, problems = read_text(raw, "n.md")
    assert problems == [] and text is not None and "\r" not in text
    doc = split(text, "n.md")
    assert doc.meta is not None and doc.problems == []
    _, found = schema.check(doc.meta, schema.NOTE_FIELDS, "n.md")
    assert [(p.line, p.field) for p in found] == [(10, "importance")]


def test_load_yaml_reads_a_carriage_return_as_a_line_break_when_counting_lines():
    """Given text with a CR (not through read_text), lines still count as an editor's, beside a quoted U+2028."""
    value, found = load_yaml('title: "a\u2028b"\rdate: 2025-09-11\rbad: [unclosed\r', "n.md", line_offset=2)
    assert value is None
    (problem,) = found
    assert "not valid YAML" in problem.message and problem.line == 5  # the end of the text, where YAML noticed


def test_load_yaml_of_text_with_carriage_returns_keeps_key_lines():
    value, found = load_yaml('title: "a\u2028b"\r\ndate: 2025-09-11\rsummary: s\n', "n.md", line_offset=2)
    assert found == [] and value["date"] == dt.date(2025, 9, 11)
    assert value.lines == {"title": 2, "date": 3, "summary": 4}


# Nesting too deep: at the line of the field that holds it


def _deep_flow(depth: int) -> str:
    return "[" * depth + "x" + "]" * depth


def test_too_deep_is_reported_at_the_key_of_the_field_and_names_it():
    """The reported case: `tags: [[[...]]]` on line 10 was reported at line 2."""
    text = front_matter() + f"tags: {_deep_flow(MAX_NESTING)}\n"  # under `tags:`, MAX_NESTING + 1 levels
    _, found = load_yaml(text, "n.md", line_offset=2)
    (problem,) = found
    assert (problem.line, problem.field, problem.severity) == (10, "tags", Severity.ERROR)
    assert problem.message == (
        "front matter is nested more than 20 levels deep in 'tags' (line 10 is at level 21); a note needs at most 2"
    )


def test_as_deep_as_allowed_is_no_problem():
    _, found = load_yaml(front_matter() + f"tags: {_deep_flow(MAX_NESTING - 2)}\n", "n.md", line_offset=2)
    assert found == []


def test_too_deep_on_later_lines_is_reported_at_the_key_and_the_message_says_where_the_level_is():
    text = front_matter() + "tags:\n" + "- " * MAX_NESTING + "x\n"
    _, found = load_yaml(text, "n.md", line_offset=2)
    (problem,) = found
    assert (problem.line, problem.field) == (10, "tags")
    assert "(line 11 is at level 21)" in problem.message


def test_too_deep_in_a_nested_field_is_reported_at_its_field():
    """The field is a key of the note (source), and the message says where the level too many is (line 6)."""
    text = front_matter(source=BASE["source"].replace("Example News", _deep_flow(MAX_NESTING)))
    _, found = load_yaml(text, "n.md", line_offset=2)
    (problem,) = found
    assert (problem.line, problem.field) == (5, "source")
    assert "in 'source' (line 6 is at level 21)" in problem.message


def test_too_deep_in_indented_mappings_is_reported_at_the_first_key():
    text = "".join(" " * level + f"k{level}:\n" for level in range(30))
    _, found = load_yaml(text, "n.md", line_offset=2)
    (problem,) = found
    assert (problem.line, problem.field) == (2, "k0")
    assert "(line 22 is at level 21)" in problem.message


def test_a_huge_key_is_cut_in_the_field_and_message():
    key = "k" * 1000  # YAML allows a key of at most 1024 characters
    _, found = load_yaml(f"{key}: {_deep_flow(MAX_NESTING)}\n", "n.md", line_offset=2)
    (problem,) = found
    assert problem.line == 2 and len(problem.field) == 60 and len(problem.message) < 200


def test_too_deep_for_libyaml_itself_is_reported_at_the_key_too():
    """Thousands of levels on one line meet libyaml's own limit while it scans ahead, before any event of them."""
    text = front_matter() + f"tags: {_deep_flow(5000)}\n"
    _, found = load_yaml(text, "n.md", line_offset=2)
    (problem,) = found
    assert (problem.line, problem.field) == (10, "tags")
    assert "nested more than 20 levels deep in 'tags'" in problem.message


def test_too_deep_with_no_key_is_reported_where_the_level_begins():
    text = "- a\n- b\n- " + _deep_flow(MAX_NESTING) + "\n"
    _, found = load_yaml(text, "n.md", line_offset=2)
    (problem,) = found
    assert (problem.line, problem.field) == (4, "")
    assert "(line 4 is at level 21)" in problem.message


def test_too_deep_after_a_complete_field_does_not_name_that_field():
    """The keys are those leading to the deep value, not the last one read."""
    text = "title: t\n" + _deep_flow(5000) + ": x\n"
    _, found = load_yaml(text, "n.md", line_offset=2)
    (problem,) = found
    assert problem.field == "" and problem.line == 3


def test_check_reports_deep_nesting_at_the_key(make_site):
    bad = note(extra=f"tags: {_deep_flow(30)}\n")
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-deep.md": bad})
    site = build_site(root)
    (problem,) = [p for p in site.problems if p.path.endswith("2025-09-11-deep.md")]
    assert (problem.line, problem.field) == (10, "tags"), problem
