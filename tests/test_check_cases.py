"""`briefing check` on every kind of bad note: the exact problem, where it is, and never a traceback.

Each case is one file in ``tests/fixtures/broken/`` (one deliberately broken note
each, named for what is wrong with it) and one entry in ``CASES`` saying the
problems expected: (line, severity, field, a key part of the message), in the
order ``check`` reports them. Cases whose bytes git could alter (CRLF), that
would trip the repository's own tools (``ruff format`` reads Markdown and stops
at a non-UTF-8 file) or that are too big to commit (5 MB) are written by the
tests themselves.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import REPO, note, run, topics

from generator.loader import check_loose_notes, load_site

BROKEN = REPO / "tests" / "fixtures" / "broken"
BROKEN_REL = "tests/fixtures/broken"
KNOWN_TOPIC = "ai-chip-self-sufficiency"  # the one the fixtures use; the shipped site and the temp sites know it

Expected = tuple[int, str, str, str]  # line, severity, field, part of the message

CASES: dict[str, list[Expected]] = {
    # The YAML errors editors meet most, in their words and on the line they made them on.
    "2025-09-11-malformed-yaml.md": [
        (
            2,
            "error",
            "title",
            "'title' has ': ' inside its value, which YAML reads as the start of another key; "
            'put the value in quotes: title: "Nvidia: H20 sales to resume"',
        )
    ],
    "2025-09-11-unclosed-quote.md": [(2, "error", "title", "'title' opens a quoted value with \" that is never closed")],
    "2025-09-11-other-yaml-error.md": [(4, "error", "", "front matter is not valid YAML: did not find expected ',' or ']'")],
    "2025-09-11-not-a-mapping-list.md": [(2, "error", "", "must be a mapping of fields (key: value lines), found a list")],
    "2025-09-11-not-a-mapping-scalar.md": [
        (2, "error", "", "must be a mapping of fields (key: value lines), found text 'Just a title'")
    ],
    "2025-09-11-no-front-matter.md": [(1, "error", "", "no front matter: the file must start with a '---' line")],
    "2025-09-11-empty.md": [(1, "error", "", "file is empty")],
    "2025-09-11-missing-title.md": [(1, "error", "title", "missing required field 'title'")],
    "2025-09-11-missing-date.md": [(1, "error", "date", "missing required field 'date' (a date YYYY-MM-DD)")],
    "2025-09-11-missing-topics.md": [(1, "error", "topics", "missing required field 'topics'")],
    "2025-09-11-missing-source.md": [(1, "error", "source", "missing required field 'source'")],
    # A missing sub-field is reported on the line of its parent key, `source:`.
    "2025-09-11-missing-source-name.md": [(5, "error", "source.name", "missing required field 'source.name'")],
    "2025-09-11-missing-source-url.md": [(5, "error", "source.url", "missing required field 'source.url' (an http(s) URL)")],
    "2025-09-11-missing-summary.md": [(1, "error", "summary", "missing required field 'summary'")],
    "2025-09-11-duplicate-key.md": [(10, "error", "title", "duplicate key 'title' (first on line 2)")],
    "2025-09-11-unknown-key-topic.md": [
        (1, "error", "topics", "missing required field 'topics'"),
        (4, "warning", "topic", "unknown field 'topic'; did you mean 'topics'?"),
    ],
    "2025-09-11-unknown-key-sumary.md": [
        (1, "error", "summary", "missing required field 'summary'"),
        (9, "warning", "sumary", "unknown field 'sumary'; did you mean 'summary'?"),
    ],
    "2025-09-11-unknown-key-source-langauge.md": [
        (8, "warning", "source.langauge", "unknown field 'source.langauge'; did you mean 'language'?")
    ],
    "2025-09-11-wrong-type-topics-number.md": [(4, "error", "topics", "'topics' must be a list of slugs such as [")],
    "2025-09-11-wrong-type-title-list.md": [(2, "error", "title", "'title' must be text, found a list")],
    "2025-09-11-impossible-date.md": [(3, "error", "date", "'date' is not a real date: 2025-02-30")],
    "2025-09-11-date-quoted.md": [(3, "warning", "date", "'date' is quoted text; write it unquoted as 2025-09-11")],
    "2025-09-11-date-datetime.md": [(3, "warning", "date", "'date' has a time of day; only the date 2025-09-11 is used")],
    "2025-09-11-unknown-topic.md": [(4, "error", "topics", "'topics[0]' is 'ai-chips', not a known topic (known: ")],
    "2025-09-11-url-javascript.md": [(7, "error", "source.url", "must be an http or https URL, found 'javascript:alert(1)'")],
    "2025-09-11-url-ftp.md": [(7, "error", "source.url", "must be an http or https URL, found 'ftp://example.org/report.pdf'")],
    "2025-09-11-url-file.md": [(7, "error", "source.url", "must be an http or https URL, found 'file:///etc/passwd'")],
    "2025-09-11-url-no-scheme.md": [(7, "error", "source.url", "must be an http or https URL, found 'www.example.org/a'")],
    # A URL the sanitiser would drop leaves the source unlinked on the page: refused here, with the reason.
    "2025-09-11-url-no-host.md": [(7, "error", "source.url", "not an address a browser can open (it has no host name)")],
    "2025-09-11-url-bad-port.md": [
        (7, "error", "source.url", "not an address a browser can open (its port is not a number from 0 to 65535)")
    ],
    "2025-09-11-url-bad-host.md": [
        (7, "error", "source.url", "not an address a browser can open ('1.2.3.999' is not a host name or an IP address)")
    ],
    "2025-09-11-language-xx.md": [
        (8, "error", "source.language", "must be an ISO 639-1 code such as en, fr, zh, found text 'xx'")
    ],
    "2025-09-11-language-english.md": [
        (8, "error", "source.language", "ISO 639-1 code such as en, fr, zh, found text 'english'")
    ],
    "2025-09-11-reliability-g.md": [(9, "error", "source.reliability", "must be one of A, B, C, D, E, F, found text 'G'")],
    "2025-09-11-credibility-7.md": [(9, "error", "source.credibility", "must be a whole number from 1 to 6, found the number 7")],
    "2025-09-11-importance-6.md": [(10, "error", "importance", "must be a whole number from 1 to 5, found the number 6")],
    "2025-09-11-importance-true.md": [(10, "error", "importance", "must be a whole number from 1 to 5, found true/false")],
    "2025-09-11-confidence-unknown.md": [(10, "error", "confidence", "must be one of almost-no-chance, very-unlikely, ")],
    "2025-09-10-filename-date-mismatch.md": [
        (
            3,
            "warning",
            "date",
            "file name should start with the note's date 2025-09-11, found '2025-09-10-filename-date-mismatch.md'",
        )
    ],
    "2025-09-11-alias-bomb.md": [(2, "error", "", "YAML anchors and aliases (&name, *name) are not allowed")],
    "2025-09-11-deep-nesting.md": [(2, "error", "title", "front matter is nested more than 20 levels deep in 'title'")],
    # Issue 16 and 12: the input classes (tests/test_input_safety.py tests each class as a whole).
    "2025-09-11-deep-block-list.md": [
        (10, "error", "tags", "front matter is nested more than 20 levels deep in 'tags' (line 11 is at level 21)")
    ],
    "2025-09-11-control-character.md": [
        (2, "error", "title", "'title' contains a control character U+000C (form feed) at position 21; delete it")
    ],
    "2025-09-11-bidi-override.md": [(2, "error", "title", "'title' contains a bidi control U+202E (right-to-left override)")],
    "2025-09-11-zero-width-entity.md": [
        (10, "error", "entities", "'entities[1]' contains an invisible character U+200B (zero width space) at position 4")
    ],
    "2025-09-11-explicit-tag.md": [(10, "error", "", "explicit YAML tags like !!set are not allowed in front matter")],
    "2025-09-11-merge-key.md": [(6, "error", "<<", "'<<' (YAML's merge key) is not allowed in front matter")],
    "2025-09-11-language-no.md": [
        (8, "error", "source.language", 'found no, which YAML reads as true/false; put it in quotes: "no"')
    ],
    "2025-09-11-title-number.md": [(2, "error", "title", "found the number 1.10 (which YAML reads as 1.1); put it in quotes")],
    "2025-09-11-importance-octal.md": [(10, "error", "importance", "found the number 010 (which YAML reads as 8)")],
    "2025-09-11-date-slashes.md": [(3, "error", "date", "found text '11/09/2025'; did you mean 2025-09-11 or 2025-11-09?")],
    "2025-09-11-date-words.md": [(3, "error", "date", "found text '11 September 2025'; did you mean 2025-09-11?")],
    "2025-09-11-date-far-future.md": [(3, "error", "date", "'date' is 9999-12-31, outside 1900-01-01 … 2099-12-31")],
    "2025-09-11-topic-words.md": [
        (4, "error", "topics", "found 'AI chip self-sufficiency'; did you mean ai-chip-self-sufficiency?")
    ],
    "2025-09-11-misspelt-reliability.md": [
        (
            9,
            "warning",
            "source.reliablity",
            "did you mean 'reliability'? Until you fix the key, the source reliability grade is not shown",
        )
    ],
    # U+2028 is a line break to YAML, not to an editor: the error after it is still on its real line.
    "2025-09-11-line-separator.md": [(8, "error", "source.language", "found text 'xx'")],
}

# Written by the tests: (bytes, expected problems).
NON_UTF8 = "2025-09-11-non-utf8.md"
GENERATED: dict[str, tuple[bytes, list[Expected]]] = {
    NON_UTF8: (
        (BROKEN / "2025-09-10-filename-date-mismatch.md").read_bytes().replace(b"Baidu showed", b"Baidu showed caf\xe9"),
        [(9, "error", "", "file is not UTF-8: undecodable byte 0xe9 at offset")],
    )
}

# Subprocess timeout for inputs built to make a parser hang: a hang guard, never a measure of speed
# (timings belong to the benchmark, `make bench`).
HANG_GUARD = 120

PROBLEM_LINE = re.compile(r"^(?P<path>[^:]+\.md):(?P<line>\d+): (?P<severity>error|warning): (?P<message>.+)$")


def _matches(problems: list[dict[str, object]], expected: list[Expected]) -> bool:
    got = [(p["line"], p["severity"], p["field"]) for p in problems]
    want = [(line, severity, field) for line, severity, field, _ in expected]
    return got == want and all(part in str(p["message"]) for p, (*_, part) in zip(problems, expected, strict=True))


def _of(problems: list[dict[str, object]], path: str) -> list[dict[str, object]]:
    return [p for p in problems if p["path"] == path]


@pytest.fixture(scope="module")
def broken_json() -> list[dict[str, object]]:
    """One `briefing check --format json` over the whole fixtures folder, from the repository root."""
    result = run(["briefing", "check", "--format", "json", BROKEN_REL], cwd=REPO)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    problems = json.loads(result.stdout)
    assert isinstance(problems, list)
    return problems


def test_every_fixture_has_an_expectation():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_outside_the_docs_dir(broken_json, name):
    problems = _of(broken_json, f"{BROKEN_REL}/{name}")
    assert _matches(problems, CASES[name]), json.dumps(problems, indent=1, ensure_ascii=False)


def test_non_utf8_bytes_are_reported_at_their_line(tmp_path):
    data, expected = GENERATED[NON_UTF8]
    (tmp_path / NON_UTF8).write_bytes(data)
    result = run(["briefing", "check", "--format", "json", str(tmp_path)], cwd=REPO)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert _matches(json.loads(result.stdout), expected), result.stdout


def test_json_objects_have_exactly_the_contract_keys(broken_json):
    assert broken_json
    for problem in broken_json:
        assert set(problem) == {"path", "line", "severity", "field", "message"}
        assert isinstance(problem["line"], int) and problem["line"] >= 1
        assert problem["severity"] in ("error", "warning")


def test_text_output_reports_every_file_in_one_run():
    result = run(["briefing", "check", BROKEN_REL], cwd=REPO)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    assert all(PROBLEM_LINE.match(line) for line in lines), lines
    reported = {PROBLEM_LINE.match(line)["path"] for line in lines}  # type: ignore[index]
    assert reported == {f"{BROKEN_REL}/{name}" for name in CASES}
    errors = sum(problem[1] == "error" for problems in CASES.values() for problem in problems)
    warnings = sum(len(problems) for problems in CASES.values()) - errors
    assert f"{errors} errors, {warnings} warnings" in result.stderr


def test_every_case_inside_a_site_too(make_site):
    """The same files as notes of a site: every one is reported, with the same problems, in one run."""
    files: dict[str, str | bytes] = {f"briefings/notes/2025/{name}": (BROKEN / name).read_bytes() for name in CASES}
    files.update({f"briefings/notes/2025/{name}": data for name, (data, _) in GENERATED.items()})
    root = make_site({**topics(KNOWN_TOPIC), **files})
    every_case = {**CASES, **{name: expected for name, (_, expected) in GENERATED.items()}}
    result = run(["briefing", "check", "--format", "json"], cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    problems = json.loads(result.stdout)
    for name, expected in every_case.items():
        found = _of(problems, f"briefings/notes/2025/{name}")
        assert _matches(found, expected), (name, found)
    assert {p["path"] for p in problems} == {f"briefings/notes/2025/{name}" for name in every_case}


def test_warnings_only_exit_0():
    result = run(["briefing", "check", f"{BROKEN_REL}/2025-09-11-date-quoted.md"], cwd=REPO)
    assert result.returncode == 0, result.stdout
    assert (
        result.stdout
        == f"{BROKEN_REL}/2025-09-11-date-quoted.md:3: warning: 'date' is quoted text; write it unquoted as 2025-09-11\n"
    )
    assert "0 errors, 1 warning" in result.stderr


def test_one_error_among_warnings_exits_1():
    files = [f"{BROKEN_REL}/2025-09-11-date-quoted.md", f"{BROKEN_REL}/2025-09-11-url-ftp.md"]
    result = run(["briefing", "check", *files], cwd=REPO)
    assert result.returncode == 1
    assert "1 error, 1 warning" in result.stderr


def test_bom_and_crlf_are_valid(make_site):
    rel = "briefings/notes/2025/2025-09-11-windows-editor.md"
    windows = b"\xef\xbb\xbf" + note(title="Saved on Windows").replace("\n", "\r\n").encode("utf-8")
    root = make_site({**topics("chips"), rel: windows})
    path = root / rel
    assert path.read_bytes().count(b"\r\n") > 5
    result = run(["briefing", "check", "--format", "json"], cwd=root)
    assert (result.returncode, json.loads(result.stdout)) == (0, []), result.stdout
    (loaded,) = load_site(root / "briefings").notes
    assert loaded.title == "Saved on Windows"  # the BOM did not end up in the first key
    assert loaded.body.strip() == "Body text."


def test_two_notes_with_the_same_url_are_an_error_naming_both(make_site):
    upper, lower = "briefings/notes/2025/2025-09-11-Foo.md", "briefings/notes/2025/2025-09-11-foo.md"
    root = make_site({**topics("chips"), upper: note(title="Foo upper"), lower: note(title="Foo lower")})
    result = run(["briefing", "check", "--format", "json"], cwd=root)
    assert result.returncode == 1
    problems = json.loads(result.stdout)
    assert [(p["path"], p["line"], p["severity"]) for p in problems] == [(upper, 1, "error"), (lower, 1, "error")]
    assert "same URL as notes/2025/2025-09-11-foo.md" in problems[0]["message"]
    assert "same URL as notes/2025/2025-09-11-Foo.md" in problems[1]["message"]
    # Pre-commit passes only the changed file: whichever one it is, the clash shows.
    for path in (upper, lower):
        assert run(["briefing", "check", path], cwd=root).returncode == 1


def test_alias_bomb_is_refused_at_once(make_site):
    """Refused before any alias is expanded: one short message. (How fast is the benchmark's business; the
    subprocess timeout only guards against a hang.)"""
    bomb = BROKEN / "2025-09-11-alias-bomb.md"
    result = check_loose_notes([(bomb, "bomb.md")], {KNOWN_TOPIC})
    assert [(p.line, p.message) for p in result.problems] == [
        (2, "YAML anchors and aliases (&name, *name) are not allowed in front matter")
    ]
    root = make_site(topics("chips"))
    cli = run(["briefing", "check", str(bomb)], cwd=root, timeout=HANG_GUARD)
    assert cli.returncode == 1
    assert "Traceback" not in cli.stderr
    assert len(cli.stdout.splitlines()) == 1 and len(cli.stdout) < 200  # one short message


@pytest.mark.parametrize(
    "front_matter",
    [
        "title: " + "[" * 10_000 + "]" * 10_000,
        "title: " + "{a: " * 10_000 + "b" + "}" * 10_000,
        "- " * 10_000 + "x",
        "? " * 10_000 + "x",
        "".join(" " * level + f"k{level}:\n" for level in range(200)),
    ],
    ids=["flow-lists", "flow-mappings", "block-lists", "complex-keys", "indented-mappings"],
)
def test_deep_nesting_is_one_clean_error(tmp_path, front_matter):
    path = tmp_path / "2025-09-11-deep.md"
    path.write_text(f"---\n{front_matter}\n---\nBody.\n", encoding="utf-8")
    result = check_loose_notes([(path, "deep.md")], {KNOWN_TOPIC})
    assert len(result.problems) == 1
    (problem,) = result.problems
    assert (problem.line, problem.severity.value) == (2, "error")
    assert "nested" in problem.message or "nesting" in problem.message


def test_five_megabyte_file_is_one_clean_error(make_site, tmp_path):
    big = tmp_path / "2025-09-11-big.md"
    big.write_text(note() + ("All work and no play. " * 50 + "\n") * 4_600, encoding="utf-8")
    assert big.stat().st_size > 5_000_000
    root = make_site(topics("chips"))
    result = run(["briefing", "check", "--format", "json", str(big)], cwd=root, timeout=HANG_GUARD)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (problem,) = json.loads(result.stdout)
    assert (problem["line"], problem["severity"], problem["field"]) == (1, "error", "")
    assert "file is 5.1 MB; a note or topic may be at most 1 MB" in problem["message"]


def _site_with_notes_and_a_bad_topic(make_site):
    return make_site(
        {
            **topics("chips"),
            "briefings/topics/bad.md": "---\ntitle: Bad\n---\n",
            "briefings/notes/2025/2025-09-11-good.md": note(),
            "briefings/notes/2025/2025-09-12-warned.md": note(date='"2025-09-12"'),
            "briefings/notes/2024/2024-05-01-broken.md": note(date="2024-05-01", url="ftp://example.org/x"),
        }
    )


def test_check_a_file_inside_the_docs_dir(make_site):
    root = _site_with_notes_and_a_bad_topic(make_site)
    good = run(["briefing", "check", "briefings/notes/2025/2025-09-11-good.md"], cwd=root)
    assert (good.returncode, good.stdout) == (0, "")
    broken = run(["briefing", "check", "briefings/notes/2024/2024-05-01-broken.md"], cwd=root)
    assert broken.returncode == 1
    assert broken.stdout.splitlines() == [
        "briefings/notes/2024/2024-05-01-broken.md:7: error: 'source.url' must be an http or https URL, found 'ftp://example.org/x'"
    ]


def test_check_a_folder_inside_the_docs_dir(make_site):
    root = _site_with_notes_and_a_bad_topic(make_site)
    notes_2025 = run(["briefing", "check", "briefings/notes/2025"], cwd=root)
    assert notes_2025.returncode == 0  # a warning, and the other folder's error and the bad topic are not asked about
    assert [line.split(":")[0] for line in notes_2025.stdout.splitlines()] == ["briefings/notes/2025/2025-09-12-warned.md"]
    topics_dir = run(["briefing", "check", "--format", "json", "briefings/topics"], cwd=root)
    assert topics_dir.returncode == 1
    assert [(p["path"], p["field"]) for p in json.loads(topics_dir.stdout)] == [("briefings/topics/bad.md", "description")]


def test_check_files_as_pre_commit_passes_them(make_site):
    """pre-commit runs from the repository root with the changed files' relative paths."""
    root = _site_with_notes_and_a_bad_topic(make_site)
    changed = ["briefings/notes/2025/2025-09-11-good.md", "briefings/notes/2025/2025-09-12-warned.md", "briefings/index.md"]
    assert run(["briefing", "check", *changed], cwd=root).returncode == 0
    result = run(["briefing", "check", *changed, "briefings/topics/bad.md"], cwd=root)
    assert result.returncode == 1
    assert {line.split(":")[0] for line in result.stdout.splitlines()} == {
        "briefings/notes/2025/2025-09-12-warned.md",
        "briefings/topics/bad.md",
    }


def test_check_a_folder_around_the_docs_dir_checks_the_site(make_site):
    root = _site_with_notes_and_a_bad_topic(make_site)
    whole = run(["briefing", "check", "--format", "json"], cwd=root)
    dot = run(["briefing", "check", "--format", "json", "."], cwd=root)
    assert dot.returncode == whole.returncode == 1
    assert json.loads(dot.stdout) == json.loads(whole.stdout)
    assert {p["path"] for p in json.loads(dot.stdout)} == {
        "briefings/topics/bad.md",
        "briefings/notes/2025/2025-09-12-warned.md",
        "briefings/notes/2024/2024-05-01-broken.md",
    }


def test_a_latest_week_without_a_bottom_line_is_a_warning_check_and_build_share(make_site):
    root = make_site(
        {
            **topics("chips"),
            "briefings/notes/2025/2025-09-11-a.md": note("A"),
            "briefings/notes/2025/2025-09-22-b.md": note("B", "2025-09-22"),
            "briefings/weeks/2025-W37.md": "The bottom line of week 37.\n",
        }
    )
    check = run(["briefing", "check"], cwd=root)
    assert check.returncode == 0  # a warning
    expected = "briefings/weeks/2025-W39.md:1: warning: the latest week, 2025-W39, has no bottom line"
    assert expected in check.stdout, check.stdout
    strict = run(["mkdocs", "build", "--strict", "--site-dir", str(root / "site")], cwd=root)
    assert strict.returncode != 0 and "the latest week, 2025-W39, has no bottom line" in strict.stderr
    (root / "briefings/weeks/2025-W39.md").write_text("The bottom line of week 39.\n", encoding="utf-8")
    assert run(["briefing", "check"], cwd=root).stdout == ""


def test_a_site_that_writes_no_ledes_is_not_asked_for_one(make_site):
    root = make_site({**topics("chips"), "briefings/notes/2025/2025-09-11-a.md": note("A")})
    assert run(["briefing", "check"], cwd=root).stdout == ""


@pytest.mark.parametrize("value", ["2025-09-11", "2025-02-30", "12"])
def test_a_story_yaml_read_as_a_date_or_number_is_told_to_be_quoted_not_given_a_made_up_slug(tmp_path, value: str) -> None:
    from conftest import write_site

    root = write_site(
        tmp_path,
        {
            **topics(KNOWN_TOPIC),
            "briefings/notes/2025/2025-09-11-a.md": note(topics=f"[{KNOWN_TOPIC}]", extra=f"story: {value}\n"),
        },
    )
    corpus = load_site(root / "briefings")
    [problem] = [p for p in corpus.problems if p.field == "story"]
    assert problem.message.endswith(f'put it in quotes to keep it as text: "{value}"'), problem.message


def test_a_lede_one_folder_too_deep_is_told_so_not_that_its_week_is_not_a_week(tmp_path) -> None:
    from conftest import write_site

    deep = f"briefings/weeks/2025-W37/{KNOWN_TOPIC}/extra.md"
    root = write_site(
        tmp_path,
        {**topics(KNOWN_TOPIC), "briefings/notes/2025/2025-09-11-a.md": note(topics=f"[{KNOWN_TOPIC}]"), deep: "Lede.\n"},
    )
    [problem] = [p for p in load_site(root / "briefings").problems if p.path == deep.removeprefix("briefings/")]
    assert problem.message.startswith("too many folders below weeks/2025-W37/") and "is not a week" not in problem.message


def test_a_note_of_a_broken_topic_points_at_the_topics_file(tmp_path) -> None:
    from conftest import write_site

    root = write_site(
        tmp_path,
        {
            "briefings/topics/chips.md": "---\ntitle: Chips\n---\nNo description.\n",
            "briefings/notes/2025/2025-09-11-a.md": note(),
        },
    )
    problems = load_site(root / "briefings").problems
    assert [(p.path, p.field) for p in problems if p.severity.value == "error"] == [
        ("notes/2025/2025-09-11-a.md", "topics"),
        ("topics/chips.md", "description"),
    ]
    assert "'topics[0]' is 'chips', whose file topics/chips.md has errors" in problems[0].message
    assert "not a known topic" not in problems[0].message


@pytest.mark.parametrize(
    ("extra", "field"),
    [("story: 1:30\n", "story"), ("importance: yes\n", "importance"), ("confidence: 3\n", "confidence")],
)
def test_quotes_are_suggested_only_where_the_quoted_text_would_be_right(tmp_path, extra: str, field: str) -> None:
    from conftest import write_site

    root = write_site(
        tmp_path, {**topics(KNOWN_TOPIC), "briefings/notes/2025/2025-09-11-a.md": note(topics=f"[{KNOWN_TOPIC}]", extra=extra)}
    )
    [problem] = [p for p in load_site(root / "briefings").problems if p.field == field]
    assert "put it in quotes" not in problem.message, problem.message


def test_the_serve_banner_shows_a_broken_topic_before_the_notes_it_breaks(tmp_path) -> None:
    from conftest import site_config, write_site

    from generator.build import build

    notes = {f"briefings/notes/2025/2025-09-{day:02d}-n.md": note(f"Note {day}", f"2025-09-{day:02d}") for day in range(1, 13)}
    root = write_site(tmp_path, {"briefings/topics/chips.md": "---\ntitle: Chips\n---\nNo description.\n", **notes})
    banner = build(site_config(root), include_drafts=True, explain_problems=True).banner  # as mkdocs serve builds
    assert banner.count("notes/2025/") < 12 and "and " in banner  # cut after a few
    assert "topics/chips.md" in banner and banner.index("topics/chips.md") < banner.index("notes/2025/")
