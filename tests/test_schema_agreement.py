"""One schema: the JSON Schema, the validator, the README's field table and the `new` template agree.

The validator (``briefing check``) and the JSON Schema (``briefing schema``, for
editors' YAML tooling) are both derived from ``generator/schema.py``; these
tests hold them to the same verdict on a set of valid and invalid notes.

Where they may differ, by design: the validator *accepts with a warning* a few
things that are not the canonical form, and the JSON Schema, which describes
the canonical form for completion and inline hints while typing, rejects them:
unknown keys (``additionalProperties: false``; the spec makes them a warning so
that one typo never drops a note), dates with a time of day, and language codes
in capitals. ``WARN_BUT_SCHEMA_REJECTS`` lists those cases, and the test asserts
that they, and only they, disagree. The rules that always hold:

- the schema accepts a note  ⇒  the validator finds no error in it;
- the validator finds no problem at all  ⇒  the schema accepts it.

Left out, because JSON cannot express them or the schema cannot know them:
duplicate keys, aliases, undecodable bytes and missing front matter (rejected
before there is a document), and the checks across files (known topic slugs,
file name against date, two notes at one URL): see ``test_check_cases.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from typing import Any

import jsonschema as jsonschema_lib
import pytest
import yaml
from conftest import REPO, run, topics, write_site

from generator import jsonschema, model, schema

DATE_OF_CASES = "2025-09-11"
BASE: dict[str, str] = {
    "title": "Baidu shows a Kunlun P800 cluster",
    "date": DATE_OF_CASES,
    "topics": "[chips]",
    "source": "\n  name: Example News\n  url: https://example.org/a\n  language: en",
    "summary": "Baidu showed a cluster of 30,000 chips.",
}


def front_matter(**fields: str | None) -> str:
    """The base note's front matter with ``fields`` replaced (None removes one), as YAML text."""
    merged = {**BASE, **fields}
    return "".join(f"{key}: {value}\n" for key, value in merged.items() if value is not None)


def source(**fields: str | None) -> str:
    merged = {"name": "Example News", "url": "https://example.org/a", "language": "en", **fields}
    return "".join(f"\n  {key}: {value}" for key, value in merged.items() if value is not None)


VALID = {
    "minimal": front_matter(),
    "every-field": front_matter(
        source=source(
            language="zh",
            published="2025-09-10",
            author="Li Wei",
            reliability="B",
            credibility="2",
            archived_url="https://web.archive.org/web/2025/https://example.org/a",
        ),
        original_title="百度展示昆仑芯P800集群",
        entities="[Baidu, Kunlun P800]",
        tags="[training, clusters]",
        importance="5",
        confidence="very-likely",
        story="baidu-p800-cluster",
        draft="true",
    ),
    "optional-keys-left-empty": front_matter(source=source(author="", reliability=""), original_title="", entities="", story=""),
    "importance-as-3.0": front_matter(importance="3.0"),
    "draft-yes": front_matter(draft="yes"),  # YAML 1.1: a boolean for both sides
    "chinese-title": front_matter(title="阿里巴巴发布真武PPU", source=source(language="zh")),
    "http-url-with-query": front_matter(source=source(url="http://example.org/a?b=c#d")),
    # Valid with a warning; the schema accepts them as they are.
    "placeholder-summary": front_matter(summary='"TODO: one or two sentences, in English."'),
    "quoted-date": front_matter(date=f'"{DATE_OF_CASES}"'),
    "repeated-entity": front_matter(entities="[Baidu, Baidu]"),
}

WARN_BUT_SCHEMA_REJECTS = {
    "unknown-key": front_matter(notes="a key that is not a field"),
    "unknown-source-key": front_matter(source=source(langauge="en")),
    "date-with-time": front_matter(date=f"{DATE_OF_CASES} 10:30:00"),
    "language-in-capitals": front_matter(source=source(language="EN")),
}

INVALID = {
    "missing-title": front_matter(title=None),
    "missing-summary-value": front_matter(summary=""),
    "missing-source": front_matter(source=None),
    "missing-source-url": front_matter(source=source(url=None)),
    "source-as-text": front_matter(source="Reuters"),
    "title-as-list": front_matter(title="[Alibaba, Baidu]"),
    "title-as-number": front_matter(title="2025"),
    "title-blank": front_matter(title='"   "'),
    "title-too-long": front_matter(title="x" * (schema.MAX_TEXT + 1)),
    "source-name-too-long": front_matter(source=source(name="n" * (schema.MAX_NAME + 1))),
    "topics-as-number": front_matter(topics="5"),
    "topics-as-text": front_matter(topics="chips"),
    "topics-empty": front_matter(topics="[]"),
    "topic-not-a-slug": front_matter(topics="[Chips]"),
    "impossible-date": front_matter(date="2025-02-30"),
    "date-as-number": front_matter(date="20250911"),
    "date-as-words": front_matter(date="September 11, 2025"),
    "url-ftp": front_matter(source=source(url="ftp://example.org/a")),
    "url-javascript": front_matter(source=source(url="javascript:alert(1)")),
    "url-without-scheme": front_matter(source=source(url="www.example.org/a")),
    "url-without-host": front_matter(source=source(url="https:///a")),
    "url-with-space": front_matter(source=source(url='"https://example.org/a b"')),
    "language-xx": front_matter(source=source(language="xx")),
    "language-english": front_matter(source=source(language="english")),
    "reliability-g": front_matter(source=source(reliability="G")),
    "reliability-lowercase": front_matter(source=source(reliability="b")),
    "credibility-0": front_matter(source=source(credibility="0")),
    "credibility-as-text": front_matter(source=source(credibility='"2"')),
    "published-impossible": front_matter(source=source(published="2025-13-01")),
    "importance-6": front_matter(importance="6"),
    "importance-true": front_matter(importance="true"),
    "importance-3.5": front_matter(importance="3.5"),
    "confidence-unknown": front_matter(confidence="maybe"),
    "story-not-a-slug": front_matter(story="Not A Slug"),
    "draft-as-text": front_matter(draft='"yes"'),
    "entity-as-number": front_matter(entities="[1]"),
    "entity-empty": front_matter(entities='[""]'),
}

CASES = {**VALID, **WARN_BUT_SCHEMA_REJECTS, **INVALID}


class _EditorLoader(yaml.SafeLoader):
    """Reads YAML the way an editor's tooling would pass it on: an impossible date stays its text."""


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return node.value


_EditorLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)


def as_json(value: Any) -> Any:
    """YAML values as JSON values: dates (and datetimes) become ISO strings."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def schema_accepts(yaml_text: str) -> bool:
    validator = jsonschema_lib.Draft202012Validator(
        jsonschema.json_schema("note"), format_checker=jsonschema_lib.Draft202012Validator.FORMAT_CHECKER
    )
    return validator.is_valid(as_json(yaml.load(yaml_text, Loader=_EditorLoader)))  # a SafeLoader


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict[str, list[dict[str, Any]]]:
    """Every case as a note of one temp site, checked by one `briefing check --format json` run."""
    files = dict(topics("chips"))
    for name, text in CASES.items():
        files[f"briefings/notes/2025/{DATE_OF_CASES}-{name}.md"] = f"---\n{text}---\nBody.\n"
    root = write_site(tmp_path_factory.mktemp("agreement"), files)
    result = run(["briefing", "check", "--format", "json"], cwd=root)
    assert "Traceback" not in result.stderr
    problems: dict[str, list[dict[str, Any]]] = {name: [] for name in CASES}
    for problem in json.loads(result.stdout):
        name = re.fullmatch(rf"briefings/notes/2025/{DATE_OF_CASES}-(.+)\.md", problem["path"])
        assert name, problem
        problems[name[1]].append(problem)
    return problems


def test_the_schema_is_a_valid_draft_2020_12_schema():
    for kind in ("note", "topic", "lede"):
        jsonschema_lib.Draft202012Validator.check_schema(jsonschema.json_schema(kind))


def test_briefing_schema_prints_the_json_schema():
    for kind in ("note", "topic"):
        result = run(["briefing", "schema", "--kind", kind], cwd=REPO)
        assert result.returncode == 0
        assert json.loads(result.stdout) == jsonschema.json_schema(kind)
    assert json.loads(run(["briefing", "schema"], cwd=REPO).stdout)["title"] == "Briefing note front matter"


def test_enough_cases_of_each_kind():
    assert len(VALID) >= 6 and len(INVALID) >= 12 and WARN_BUT_SCHEMA_REJECTS


@pytest.mark.parametrize("name", sorted(CASES))
def test_validator_and_schema_agree(verdicts, name):
    problems = verdicts[name]
    errors = [p for p in problems if p["severity"] == "error"]
    accepted = schema_accepts(CASES[name])
    if name in VALID:
        assert (errors, accepted) == ([], True), problems
    elif name in WARN_BUT_SCHEMA_REJECTS:
        assert (errors, accepted) == ([], False), problems
        assert problems, "the validator must at least warn where the schema rejects"
    else:
        assert errors and not accepted, (problems, accepted)
    # The two rules that hold for every case.
    assert not accepted or not errors
    assert accepted or problems


def test_the_shipped_notes_and_topics_satisfy_the_schema():
    for kind, folder in (("note", "notes"), ("topic", "topics")):
        validator = jsonschema_lib.Draft202012Validator(
            jsonschema.json_schema(kind), format_checker=jsonschema_lib.Draft202012Validator.FORMAT_CHECKER
        )
        paths = sorted((REPO / "briefings" / folder).rglob("*.md"))
        assert paths
        for path in paths:
            meta = yaml.load(path.read_text(encoding="utf-8").split("---\n")[1], Loader=_EditorLoader)
            errors = [e.message for e in validator.iter_errors(as_json(meta))]
            assert not errors, (path.name, errors)


# The README's field tables and the `new` template, against the declarations.

README_TABLES = {"note fields": ("note", schema.NOTE_FIELDS), "topic fields": ("topic", schema.TOPIC_FIELDS)}


def _table_after(markdown: str, heading: str) -> dict[str, list[str]]:
    """Rows (by first cell, backticks removed) of the first table under the heading named ``heading``."""
    lines = markdown.splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("#") and line.lstrip("#").strip().lower() == heading]
    assert starts, f"README.md has no '{heading}' heading (see /tmp/readme-writing-notes.md)"
    rows: dict[str, list[str]] = {}
    for line in lines[starts[0] + 1 :]:
        if line.startswith("#") or (rows and not line.startswith("|")):
            break
        if line.startswith("|") and not set(line) <= set("|-: "):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            rows[cells[0].strip("`")] = cells
    rows.pop("field", None)  # the header row
    return rows


def _declared(fields: tuple[schema.Field, ...], prefix: str = "") -> list[tuple[str, schema.Field]]:
    found = []
    for spec in fields:
        found.append((prefix + spec.name, spec))
        found += _declared(spec.children, prefix + spec.name + ".")
    return found


def _default_cell(spec: schema.Field) -> str:
    if spec.default is None:
        return "—"
    if spec.default == ():
        return "`[]`"
    return f"`{str(spec.default).lower() if isinstance(spec.default, bool) else spec.default}`"


def check_field_tables(markdown: str) -> None:
    """The note table lists every note and source field (as ``source.name``), the topic table every topic field."""
    for heading, (_, fields) in README_TABLES.items():
        rows = _table_after(markdown, heading)
        declared = _declared(fields)
        assert list(rows) == [name for name, _ in declared], heading
        for name, spec in declared:
            _, required, allowed, default, meaning = rows[name]
            assert required == ("yes" if spec.required else "no"), name
            assert default == _default_cell(spec), name
            assert all(str(choice) in allowed for choice in spec.choices), name
            assert meaning, name


def test_readme_field_tables_match_the_schema():
    check_field_tables((REPO / "README.md").read_text(encoding="utf-8"))


def test_new_template_mentions_every_note_and_source_field():
    template = (REPO / "templates" / "new_note.md.j2").read_text(encoding="utf-8")
    keys = set(re.findall(r"^\s*#?\s*([a-z_]+):", template, flags=re.MULTILINE))
    assert {spec.name for spec in schema.NOTE_FIELDS} <= keys
    assert {spec.name for spec in schema.SOURCE_FIELDS} <= keys
    # The likelihood words are listed in full (single letters such as the grades A-F would prove nothing).
    for word in schema.CONFIDENCE:
        assert re.search(rf"\b{word}\b", template), word


# The typed model and the schema: one set of fields.

# Model attributes that are not front-matter fields: where the file is, and what the loader adds.
NOT_FRONT_MATTER = {
    model.Note: {"path", "body", "body_line"},
    model.Topic: {"slug", "path", "intro", "body_line"},
}


@pytest.mark.parametrize(
    ("cls", "fields"),
    [(model.Note, schema.NOTE_FIELDS), (model.Source, schema.SOURCE_FIELDS), (model.Topic, schema.TOPIC_FIELDS)],
    ids=["note", "source", "topic"],
)
def test_model_and_schema_declare_the_same_fields(cls: type, fields: tuple[schema.Field, ...]) -> None:
    attributes = {f.name: f for f in dataclasses.fields(cls)}
    declared = {spec.name: spec for spec in fields}
    assert set(attributes) - NOT_FRONT_MATTER.get(cls, set()) == set(declared)
    for name, spec in declared.items():
        # What an optional field defaults to is the same in both (None where the schema gives none;
        # the schema's () for a list is the model's empty tuple).
        attribute = attributes[name]
        if spec.required:
            assert attribute.default is dataclasses.MISSING, name
        else:
            assert attribute.default == spec.default, name
