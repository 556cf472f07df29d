"""Read a site's notes, topics and ledes from disk into a validated ``Corpus``.

This is the only module of the core that reads files. Every problem is
collected with its ``path:line``; a note with an error is left out of the
corpus and named in ``Corpus.rejected``, never dropped silently.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator import schema
from generator.frontmatter import MAX_FILE_BYTES, Document, LineMap, read_text, split, too_large
from generator.model import Corpus, Lede, Note, Source, Topic
from generator.problems import Problem, Severity, error, has_errors, warning
from generator.slugs import entity_slug
from generator.weeks import IsoWeek

NOTES_DIR = "notes"
TOPICS_DIR = "topics"
WEEKS_DIR = "weeks"
ENTITIES_DIR = "entities"  # generated only: an editor's page here would be replaced
_NOTE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


@dataclass(frozen=True)
class Parsed:
    """What one file says on its own, before it is checked against the others."""

    values: dict[str, Any] | None
    body: str
    lines: dict[str, int]
    problems: tuple[Problem, ...]


class ParseCache:
    """Parsed files keyed by path, reused while a file's size and mtime are unchanged.

    The MkDocs plugin keeps one for the whole of ``mkdocs serve``, so a rebuild
    after saving one note parses only that note.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[int, int, Parsed]] = {}
        self._touched: set[tuple[str, str]] = set()

    def get(self, kind: str, path: Path, rel: str, parse: Any) -> Parsed:
        try:
            stat = path.stat()
        except OSError as exc:
            return Parsed(None, "", {}, (error(rel, 1, "", f"cannot read file: {exc.strerror}"),))
        key = (kind, str(path))
        self._touched.add(key)
        hit = self._entries.get(key)
        if hit and hit[0] == stat.st_mtime_ns and hit[1] == stat.st_size:
            return hit[2]
        parsed: Parsed = parse(path, rel)
        self._entries[key] = (stat.st_mtime_ns, stat.st_size, parsed)
        return parsed

    def sweep(self) -> None:
        """Forget files not asked for since the last sweep: they were deleted or moved."""
        for key in set(self._entries) - self._touched:
            del self._entries[key]
        self._touched = set()


def _read(path: Path, rel: str, fields: tuple[schema.Field, ...], optional_meta: bool = False) -> Parsed:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # refused before a huge file is read into memory
            return Parsed(None, "", {}, (too_large(size, rel),))
        raw = path.read_bytes()
    except OSError as exc:
        return Parsed(None, "", {}, (error(rel, 1, "", f"cannot read file: {exc.strerror}"),))
    text, problems = read_text(raw, rel)
    if text is None:
        return Parsed(None, "", {}, tuple(problems))
    plain = optional_meta and not text.startswith("---")  # a lede may be Markdown with no front matter
    doc = Document(LineMap.empty(), text, 1) if plain else split(text, rel)
    if doc.meta is None:
        return Parsed(None, doc.body, {}, tuple(doc.problems))
    values, field_problems = schema.check(doc.meta, fields, rel)
    return Parsed(values, doc.body, dict(doc.meta.lines), tuple(doc.problems + field_problems))


def _parse_note(path: Path, rel: str) -> Parsed:
    return _read(path, rel, schema.NOTE_FIELDS)


def _parse_topic(path: Path, rel: str) -> Parsed:
    return _read(path, rel, schema.TOPIC_FIELDS)


def _parse_lede(path: Path, rel: str) -> Parsed:
    return _read(path, rel, schema.LEDE_FIELDS, optional_meta=True)


def walk_markdown(docs_dir: Path, subdir: str) -> Iterator[tuple[Path, str]]:
    """Markdown files under ``docs_dir/subdir`` as (path, posix path relative to docs_dir), sorted.

    Symbolic links are not followed out of the docs dir: nothing a site
    contains can make the generator read elsewhere.
    """
    top = docs_dir / subdir
    if not top.is_dir():
        return
    root = docs_dir.resolve()
    found: list[tuple[str, Path]] = []
    for folder, dirs, names in os.walk(top, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.endswith(".md") and not name.startswith("."):
                path = Path(folder, name)
                found.append((path.relative_to(docs_dir).as_posix(), path))
    for rel, path in sorted(found):
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            continue  # reported by outside_links()
        yield path, rel


def outside_links(docs_dir: Path) -> list[Problem]:
    """Symbolic links in the content folders that point outside the docs dir."""
    root = docs_dir.resolve()
    problems = []
    for subdir in (NOTES_DIR, TOPICS_DIR, WEEKS_DIR):
        for folder, dirs, names in os.walk(docs_dir / subdir, followlinks=False):
            for name in dirs + names:
                path = Path(folder, name)
                if path.is_symlink() and not path.resolve().is_relative_to(root):
                    rel = path.relative_to(docs_dir).as_posix()
                    problems.append(error(rel, 1, "", "symbolic link points outside the docs folder; it is ignored"))
    return problems


def load_topics(docs_dir: Path, cache: ParseCache) -> tuple[list[Topic], list[Problem]]:
    topics: list[Topic] = []
    problems: list[Problem] = []
    for path, rel in walk_markdown(docs_dir, TOPICS_DIR):
        parsed = cache.get("topic", path, rel, _parse_topic)
        problems.extend(parsed.problems)
        slug = rel.removeprefix(TOPICS_DIR + "/").removesuffix(".md")
        if not schema.is_slug(slug):
            problems.append(
                error(rel, 1, "", f"topic file name must be a slug (lowercase letters, digits, hyphens), found '{slug}'")
            )
            continue
        if parsed.values is None or has_errors(parsed.problems):
            continue
        v = parsed.values
        topics.append(Topic(slug, rel, v["title"], v["description"], parsed.body.strip(), v["entities"], v["order"]))
    topics.sort(key=Topic.sort_key)
    return topics, problems


def _note_from(rel: str, parsed: Parsed, topic_slugs: set[str], check_location: bool = True) -> tuple[Note | None, list[Problem]]:
    """Cross-checks that need more than the file itself, then the Note."""
    v, lines = parsed.values, parsed.lines
    if v is None or has_errors(parsed.problems):
        return None, []
    problems: list[Problem] = []
    for index, slug in enumerate(v["topics"]):
        if slug not in topic_slugs:
            known = ", ".join(sorted(topic_slugs)) or "none yet: add briefings/topics/<slug>.md"
            problems.append(
                error(rel, lines["topics"], "topics", f"'topics[{index}]' is '{slug}', not a known topic (known: {known})")
            )
    name = rel.rsplit("/", 1)[-1]
    match = _NOTE_NAME.match(name)
    date: dt.date = v["date"]
    if not match or match[1] != date.isoformat():
        problems.append(
            warning(rel, lines["date"], "date", f"file name should start with the note's date {date.isoformat()}, found '{name}'")
        )
    parts = rel.split("/")
    if check_location and (len(parts) != 3 or parts[1] != str(date.year)):
        problems.append(warning(rel, lines["date"], "date", f"a note dated {date.isoformat()} belongs in notes/{date.year}/"))
    for entity in v["entities"]:
        if not entity_slug(entity):
            problems.append(
                error(rel, lines["entities"], "entities", f"entity '{entity}' has no letters or digits to make a page name from")
            )
    if has_errors(problems):
        return None, problems
    source = Source(**v["source"])
    fields = {k: v[k] for k in ("title", "date", "summary", "original_title", "importance", "confidence", "story", "draft")}
    note = Note(rel, topics=v["topics"], source=source, entities=v["entities"], tags=v["tags"], body=parsed.body, **fields)
    return note, problems


@dataclass(frozen=True)
class LooseCheck:
    count: int
    problems: list[Problem]


def check_loose_notes(files: list[tuple[Path, str]], topic_slugs: set[str]) -> LooseCheck:
    """Check note files that are not part of a site (say, a folder of drafts) against its topics."""
    problems: list[Problem] = []
    for path, shown in files:
        parsed = _parse_note(path, shown)
        _, cross = _note_from(shown, parsed, topic_slugs, check_location=False)
        problems += list(parsed.problems) + cross
    return LooseCheck(len(files), sorted(problems, key=_report_order))


def _report_order(problem: Problem) -> tuple[str, int, bool, str]:
    """By file, then line; errors before warnings on a line."""
    return (problem.path, problem.line, problem.severity is not Severity.ERROR, problem.message)


def _url_key(rel: str) -> str:
    # Two files that differ only in case, or a.md beside a/index.md, publish to one URL.
    stem = rel.removesuffix(".md").removesuffix("/index").removesuffix("/README")
    return stem.casefold()


def _check_collisions(notes: list[Note], lines: dict[str, dict[str, int]]) -> tuple[list[Note], list[Problem]]:
    """Reject notes that would overwrite another note's page or merge two entity names."""
    problems: list[Problem] = []
    kept: list[Note] = []
    by_url: dict[str, list[str]] = {}
    for note in notes:
        by_url.setdefault(_url_key(note.path), []).append(note.path)
    entity_names: dict[str, tuple[str, str]] = {}
    for note in notes:
        # Every note of a clash gets the error, naming the others: whichever file an
        # editor checks (pre-commit passes only the changed ones), the clash shows.
        others = [path for path in by_url[_url_key(note.path)] if path != note.path]
        if others:
            problems.append(
                error(note.path, 1, "", f"this note would be published at the same URL as {', '.join(others)}; rename one")
            )
            continue
        clash = None
        for entity in note.entities:
            first = entity_names.setdefault(entity_slug(entity), (entity, note.path))
            if first[0] != entity:
                clash = f"entity '{entity}' and '{first[0]}' (in {first[1]}) share the page entities/{entity_slug(entity)}/; spell them the same"
                break
        if clash:
            problems.append(error(note.path, lines[note.path].get("entities", 1), "entities", clash))
            continue
        kept.append(note)
    return kept, problems


def load_ledes(docs_dir: Path, cache: ParseCache, topic_slugs: set[str]) -> tuple[list[Lede], list[Problem]]:
    ledes: list[Lede] = []
    problems: list[Problem] = []
    for path, rel in walk_markdown(docs_dir, WEEKS_DIR):
        parts = rel.removesuffix(".md").split("/")[1:]
        week = IsoWeek.parse(parts[0])
        topic = parts[1] if len(parts) == 2 else None
        if week is None or len(parts) > 2:
            problems.append(
                error(
                    rel, 1, "", "a lede lives in weeks/<YYYY>-W<ww>.md or weeks/<YYYY>-W<ww>/<topic>.md (ISO week, e.g. 2025-W37)"
                )
            )
            continue
        if topic is not None and topic not in topic_slugs:
            problems.append(error(rel, 1, "", f"'{topic}' is not a known topic"))
            continue
        parsed = cache.get("lede", path, rel, _parse_lede)
        problems.extend(parsed.problems)
        if parsed.values is None or has_errors(parsed.problems):
            continue
        ledes.append(Lede(rel, week, topic, parsed.body.strip(), parsed.values["watch"]))
    return ledes, problems


def load_site(docs_dir: Path, *, include_drafts: bool = False, cache: ParseCache | None = None) -> Corpus:
    """Load and validate every note, topic and lede under ``docs_dir``.

    Drafts are validated like other notes; ``include_drafts`` decides whether
    they are part of the corpus (``mkdocs serve``) or not (``mkdocs build``).
    """
    cache = cache or ParseCache()
    problems = outside_links(docs_dir)
    problems += [
        warning(rel, 1, "", f"{ENTITIES_DIR}/ holds generated entity pages; this file is ignored")
        for _, rel in walk_markdown(docs_dir, ENTITIES_DIR)
    ]
    topics, topic_problems = load_topics(docs_dir, cache)
    problems += topic_problems
    slugs = {t.slug for t in topics}
    notes: list[Note] = []
    rejected: list[str] = []
    note_lines: dict[str, dict[str, int]] = {}
    for path, rel in walk_markdown(docs_dir, NOTES_DIR):
        parsed = cache.get("note", path, rel, _parse_note)
        note, cross = _note_from(rel, parsed, slugs)
        problems += list(parsed.problems) + cross
        if note is None:
            rejected.append(rel)
        elif include_drafts or not note.draft:
            notes.append(note)
            note_lines[rel] = parsed.lines
    notes, collisions = _check_collisions(notes, note_lines)
    problems += collisions
    rejected += [p.path for p in collisions]
    ledes, lede_problems = load_ledes(docs_dir, cache, slugs)
    problems += lede_problems
    cache.sweep()
    problems.sort(key=_report_order)
    return Corpus(tuple(notes), tuple(topics), tuple(ledes), tuple(problems), tuple(sorted(set(rejected))))
