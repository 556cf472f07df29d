"""Read a site's notes, topics, ledes and editor pages from disk into a validated ``Corpus``.

With ``generator.settings`` (which reads ``mkdocs.yml``) and the writers
(``export``, ``files``, the engine adapters), this is where the core touches
the disk; ``assemble`` and ``render`` are pure. Every problem is collected with
its ``path:line``; a note with an error is left out of the corpus and named
in ``Corpus.rejected``, never dropped silently.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from generator import bodycheck, paths, schema
from generator.characters import visible
from generator.frontmatter import MAX_FILE_BYTES, Document, LineMap, read_text, split, too_large
from generator.model import Corpus, EditorPage, EntityInfo, Lede, Note, Source, Topic
from generator.problems import Problem, Severity, error, has_errors, shorten, warning
from generator.slugs import entity_slug
from generator.weeks import IsoWeek

T = TypeVar("T")


@dataclass(frozen=True)
class Parsed:
    """What one file says on its own, before it is checked against the others."""

    values: dict[str, Any] | None
    body: str
    lines: dict[str, int]
    problems: tuple[Problem, ...]
    body_line: int = 1

    def trimmed(self) -> tuple[str, int]:
        """The body without the blank lines around it, and the line it then starts on (for messages about it)."""
        text = self.body.strip()
        leading = self.body[: len(self.body) - len(self.body.lstrip())]
        return text, self.body_line + leading.count("\n")


Parser = Callable[[Path, str], Parsed]


class ParseCache:
    """Parsed files keyed by path, reused while a file's size and mtime are unchanged.

    The MkDocs plugin keeps one for the whole of ``mkdocs serve``, so a rebuild
    after saving one note parses only that note.
    """

    def __init__(self) -> None:
        self._entries: dict[tuple[str, str], tuple[int, int, Parsed]] = {}
        self._touched: set[tuple[str, str]] = set()
        self._made: dict[int, tuple[Parsed, object]] = {}  # by id of the Parsed, which is kept alive beside it

    def get(self, kind: str, path: Path, rel: str, parse: Parser) -> Parsed:
        try:
            stat = path.stat()
        except OSError as exc:
            return Parsed(None, "", {}, (error(rel, 1, "", f"cannot read file: {exc.strerror}"),))
        key = (kind, str(path))
        self._touched.add(key)
        hit = self._entries.get(key)
        if hit and hit[0] == stat.st_mtime_ns and hit[1] == stat.st_size:
            return hit[2]
        parsed = parse(path, rel)
        self._entries[key] = (stat.st_mtime_ns, stat.st_size, parsed)
        return parsed

    def same_as_last(self, parsed: Parsed, made: T) -> T:
        """``made`` (made of ``parsed`` alone), or the equal object made of it last time, while the file is unchanged.

        Composed pages are remembered under keys that hold notes: keys of the same notes compare by
        identity, where equal copies compared every field of every note (a sixth of a serve rebuild).
        """
        last = self._made.get(id(parsed))
        if last is not None and last[0] is parsed and last[1] == made:
            return last[1]  # type: ignore[no-any-return]
        self._made[id(parsed)] = (parsed, made)
        return made

    def sweep(self) -> None:
        """Forget files not asked for since the last sweep: they were deleted or moved."""
        for key in set(self._entries) - self._touched:
            del self._entries[key]
        self._touched = set()
        live = {id(entry[2]) for entry in self._entries.values()}
        for made in set(self._made) - live:
            del self._made[made]


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
    plain = optional_meta and not text.startswith("---")  # a lede or a page may be Markdown with no front matter
    doc = Document(LineMap.empty(), text, 1) if plain else split(text, rel)
    # The body is checked before anything converts it: some Markdown takes Python-Markdown minutes, or
    # recurses past Python's limit. Its errors reject the file like front matter's; characters XML cannot
    # carry are deleted (with a warning), so every output gets the same, clean body.
    body_problems = bodycheck.body_problems(doc.body, rel, doc.body_line)
    body = bodycheck.clean_body(doc.body)
    if doc.meta is None:
        return Parsed(None, body, {}, tuple(doc.problems + body_problems), doc.body_line)
    values, field_problems = schema.check(doc.meta, fields, rel)
    found = tuple(doc.problems + field_problems + body_problems)
    return Parsed(values, body, dict(doc.meta.lines), found, doc.body_line)


def _parse_note(path: Path, rel: str) -> Parsed:
    return _read(path, rel, schema.NOTE_FIELDS)


def _parse_topic(path: Path, rel: str) -> Parsed:
    return _read(path, rel, schema.TOPIC_FIELDS)


def _parse_lede(path: Path, rel: str) -> Parsed:
    return _read(path, rel, schema.LEDE_FIELDS, optional_meta=True)


def _parse_entity(path: Path, rel: str) -> Parsed:
    return _read(path, rel, schema.ENTITY_FIELDS)


def _parse_page(path: Path, rel: str) -> Parsed:
    return _read(path, rel, schema.PAGE_FIELDS, optional_meta=True)


def _shown(name: str) -> str:
    """A file name for a message: bytes that are not UTF-8 and characters a terminal would obey as escapes."""
    readable = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return visible(readable.replace("\n", "\\n").replace("\t", "\\t"))


def link_problem(link: Path, root: Path) -> str | None:
    """What is wrong with the symbolic link ``link`` inside the docs folder ``root`` (resolved), or None.

    A link out of the folder would publish files from elsewhere; a link to a folder that holds it makes
    MkDocs walk the same files forever (its walk follows links), so the build never ends.
    """
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):  # a link to nothing, or a loop of links
        return "symbolic link leads nowhere (or in a circle); remove it"
    if not target.is_relative_to(root):
        return "symbolic link points outside the docs folder; it is ignored"
    if target.is_dir() and link.parent.resolve().is_relative_to(target):
        return "symbolic link to a folder that contains it: the site would hold itself forever; remove it"
    return None


def folder_links(docs_dir: Path) -> list[tuple[str, str]]:
    """Links to folders that would make an engine walk out of the docs folder or forever, with why.

    MkDocs walks the docs folder following links, hidden folders included, before any plugin runs:
    a link to ``/`` or to a folder that holds it is a build that never ends. ``scan`` reports them as it reads the folder.
    """
    if not docs_dir.is_dir():
        return []
    root = docs_dir.resolve()
    found = []
    for folder, dirs, _names in os.walk(docs_dir, followlinks=False):
        for name in dirs:
            path = Path(folder, name)
            if path.is_symlink() and (why := link_problem(path, root)) is not None:
                found.append((path.relative_to(docs_dir).as_posix(), why))
    return sorted(found)


@dataclass
class DocsTree:
    """The files of a docs dir, sorted, by what they are; and what is wrong with their names."""

    notes: list[tuple[Path, str]] = field(default_factory=list)
    topics: list[tuple[Path, str]] = field(default_factory=list)
    ledes: list[tuple[Path, str]] = field(default_factory=list)
    entities: list[tuple[Path, str]] = field(default_factory=list)
    pages: list[tuple[Path, str]] = field(default_factory=list)
    static: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def scan(docs_dir: Path) -> DocsTree:
    """Walk the docs dir once. Hidden files are skipped; links out of the docs dir (or around a folder) are reported, never followed."""
    tree = DocsTree()
    if not docs_dir.is_dir():
        return tree
    root = docs_dir.resolve()
    found: list[tuple[str, Path]] = []
    for folder, dirs, names in os.walk(docs_dir, followlinks=False):
        dirs.sort()
        # Hidden folders hold nothing the site reads, but MkDocs walks them too: their links to folders are checked.
        hidden_folder = any(part.startswith(".") for part in Path(folder).relative_to(docs_dir).parts)
        for name in list(dirs) + names:
            path = Path(folder, name)
            rel = path.relative_to(docs_dir).as_posix()
            hidden = hidden_folder or name.startswith(".")
            if path.is_symlink() and (name in dirs or not hidden) and (why := link_problem(path, root)) is not None:
                tree.problems.append(error(_shown(rel), 1, "", why))
                if name in dirs:
                    dirs.remove(name)
                continue
            if name in dirs or hidden:
                continue
            found.append((rel, path))
    for rel, path in sorted(found):
        try:
            rel.encode("utf-8")
        except UnicodeEncodeError:
            tree.problems.append(error(_shown(rel), 1, "", "file name is not valid UTF-8; rename the file"))
            continue
        if not rel.endswith(".md"):
            if rel.lower().endswith(paths.MARKDOWN_SUFFIXES):  # an engine would publish it as a page, unchecked
                stem_, suffix = rel.rsplit("/", 1)[-1].rsplit(".", 1)
                tree.problems.append(
                    error(
                        _shown(rel),
                        1,
                        "",
                        f"a Markdown file must end in .md to be checked and published; rename it to {shorten(_shown(stem_ + '.md'))} "
                        f"(as .{suffix} an engine would publish it unchecked, so it is left out)",
                    )
                )
                continue
            tree.static.append(rel)
            continue
        bad = paths.unsafe_name(rel)
        if bad is not None:
            tree.problems.append(
                error(
                    _shown(rel),
                    1,
                    "",
                    f"file or folder name {shorten(_shown(bad))} may hold only letters, digits, '-', '_' and '.'; rename it "
                    "(the name becomes part of the page's address and of links to it)",
                )
            )
            continue
        area, _, rest = rel.partition("/")
        if area == paths.NOTES_DIR and rest:
            tree.notes.append((path, rel))
        elif area == paths.TOPICS_DIR and rest:
            tree.topics.append((path, rel))
        elif area == paths.WEEKS_DIR and rest:
            tree.ledes.append((path, rel))
        elif area == paths.ENTITIES_DIR and rest:
            tree.entities.append((path, rel))
        else:
            tree.pages.append((path, rel))
    return tree


def load_topics(
    docs_dir: Path, cache: ParseCache | None = None, tree: DocsTree | None = None
) -> tuple[list[Topic], list[Problem]]:
    cache = cache or ParseCache()
    tree = tree or scan(docs_dir)
    topics: list[Topic] = []
    problems: list[Problem] = []
    for path, rel in tree.topics:
        slug = rel.removeprefix(paths.TOPICS_DIR + "/").removesuffix(".md")
        if not schema.is_slug(slug):
            problems.append(
                error(
                    rel,
                    1,
                    "",
                    f"topic file name must be a slug (lowercase letters, digits, hyphens), found {shorten(_shown(slug))}",
                )
            )
            continue
        if slug in paths.RESERVED_SLUGS:
            problems.append(
                error(rel, 1, "", f"'{slug}' cannot be a topic: the site uses the name for its index pages; rename the file")
            )
            continue
        parsed = cache.get("topic", path, rel, _parse_topic)
        problems.extend(parsed.problems)
        if parsed.values is None or has_errors(parsed.problems):
            continue
        v = parsed.values
        intro, intro_line = parsed.trimmed()
        topics.append(Topic(slug, rel, v["title"], v["description"], intro, v["entities"], v["order"], intro_line))
    topics.sort(key=Topic.sort_key)
    return topics, problems


def _note_from(
    rel: str, parsed: Parsed, topic_slugs: set[str], check_location: bool = True, broken_topics: frozenset[str] = frozenset()
) -> tuple[Note | None, list[Problem]]:
    """Cross-checks that need more than the file itself, then the Note.

    ``broken_topics``: topics whose file is there but has errors; a note listing one says so (the
    cause is in the topic's file), rather than that the topic is unknown.
    """
    v, lines = parsed.values, parsed.lines
    if v is None or has_errors(parsed.problems):
        return None, []
    problems: list[Problem] = []
    for index, slug in enumerate(v["topics"]):
        if slug in broken_topics:
            problems.append(
                error(
                    rel,
                    lines["topics"],
                    "topics",
                    f"'topics[{index}]' is '{slug}', whose file {paths.TOPICS_DIR}/{slug}.md has errors; "
                    "the note is published once they are fixed",
                )
            )
        elif slug not in topic_slugs:
            known = ", ".join(sorted(topic_slugs)) or "none yet: add briefings/topics/<slug>.md"
            close = difflib.get_close_matches(slug, sorted(topic_slugs), n=1, cutoff=0.5)
            hint = f"; did you mean {close[0]}?" if close else ""
            problems.append(
                error(rel, lines["topics"], "topics", f"'topics[{index}]' is '{slug}', not a known topic (known: {known}){hint}")
            )
    name = rel.rsplit("/", 1)[-1]
    date = v["date"]
    if paths.note_date_prefix(rel) != date.isoformat():
        problems.append(
            warning(rel, lines["date"], "date", f"file name should start with the note's date {date.isoformat()}, found '{name}'")
        )
    parts = rel.split("/")
    if check_location and (len(parts) != 3 or parts[1] != f"{date.year:04d}"):
        problems.append(warning(rel, lines["date"], "date", f"a note dated {date.isoformat()} belongs in notes/{date.year:04d}/"))
    for entity in v["entities"]:
        slug = entity_slug(entity)
        if not slug:
            problems.append(
                error(rel, lines["entities"], "entities", f"entity '{entity}' has no letters or digits to make a page name from")
            )
        elif slug in paths.RESERVED_SLUGS:
            problems.append(
                error(
                    rel,
                    lines["entities"],
                    "entities",
                    f"entity '{entity}' would replace the list of all entities (entities/); name it more fully",
                )
            )
    if has_errors(problems):
        return None, problems
    source = Source(**v["source"])
    fields = {k: v[k] for k in ("title", "date", "summary", "original_title", "importance", "confidence", "story", "draft")}
    note = Note(
        rel,
        topics=v["topics"],
        source=source,
        entities=v["entities"],
        tags=v["tags"],
        body=parsed.body,
        body_line=parsed.body_line,
        **fields,
    )
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
    return LooseCheck(len(files), sorted(problems, key=report_order))


def _is_placeholder(problem: Problem) -> bool:
    return problem.severity is Severity.WARNING and "still a placeholder" in problem.message


def report_order(problem: Problem) -> tuple[str, int, bool, str]:
    """By file, then line; errors before warnings on a line."""
    return (problem.path, problem.line, problem.severity is not Severity.ERROR, problem.message)


def _check_collisions(notes: list[Note], lines: dict[str, dict[str, int]]) -> tuple[list[Note], list[Problem]]:
    """Reject notes that would overwrite another note's page or merge two entity names."""
    problems: list[Problem] = []
    kept: list[Note] = []
    by_url: dict[str, list[str]] = {}
    for note in notes:
        by_url.setdefault(paths.url_key(note.path), []).append(note.path)
    entity_names: dict[str, tuple[str, str]] = {}
    for note in notes:
        # Every note of a clash gets the error, naming the others: whichever file an
        # editor checks (pre-commit passes only the changed ones), the clash shows.
        others = [path for path in by_url[paths.url_key(note.path)] if path != note.path]
        if others:
            problems.append(
                error(note.path, 1, "", f"this note would be published at the same URL as {', '.join(others)}; rename one")
            )
            continue
        clash = None
        for entity in note.entities:
            first = entity_names.setdefault(entity_slug(entity), (entity, note.path))
            if first[0] != entity:
                clash = (
                    f"entity {shorten(entity)} and {shorten(first[0])} (in {first[1]}) share the page "
                    f"entities/{entity_slug(entity)}/; spell them the same"
                )
                break
        if clash:
            problems.append(error(note.path, lines[note.path].get("entities", 1), "entities", clash))
            continue
        kept.append(note)
    return kept, problems


def _check_watch_lists(topics: list[Topic], notes: list[Note], lines: dict[str, int]) -> list[Problem]:
    """Hold topics' watch lists to the notes' rule: two spellings of one entity page are an error.

    A watch-list name links to the entity page of its slug only when spelt as
    the notes spell it. Each list is checked against the notes' names (any
    clash among those is a note's problem, reported already), against the lists
    of the topics before it and against itself; ``lines`` has the line of each
    topic file's ``entities:``.
    """
    named: dict[str, tuple[str, str]] = {}  # slug -> (the spelling, the file that has it)
    for note in notes:
        for entity in note.entities:
            named.setdefault(entity_slug(entity), (entity, note.path))
    problems: list[Problem] = []
    for topic in topics:
        own: dict[str, str] = {}
        for entity in topic.entities:
            slug = entity_slug(entity)
            first = (own[slug], "also in this watch list") if slug in own else None
            if first is None and slug in named:
                first = (named[slug][0], f"in {named[slug][1]}")
            if slug and first is not None and first[0] != entity:
                problems.append(
                    error(
                        topic.path,
                        lines.get(topic.path, 1),
                        "entities",
                        f"entity {shorten(entity)} and {shorten(first[0])} ({first[1]}) share the page "
                        f"entities/{slug}/; spell them the same",
                    )
                )
            own.setdefault(slug, entity)
        for slug, entity in own.items():
            named.setdefault(slug, (entity, topic.path))
    return problems


def load_ledes(tree: DocsTree, cache: ParseCache, topic_slugs: set[str]) -> tuple[list[Lede], list[Problem]]:
    ledes: list[Lede] = []
    problems: list[Problem] = []
    for path, rel in tree.ledes:
        parts = rel.removesuffix(".md").split("/")[1:]
        week = IsoWeek.parse(parts[0])
        topic = parts[1] if len(parts) == 2 else None
        if week is None or len(parts) > 2:
            problems.append(error(rel, 1, "", _lede_location_message(parts[0], week is not None)))
            continue
        if topic is not None and topic not in topic_slugs:
            problems.append(error(rel, 1, "", f"'{topic}' is not a known topic (known: {', '.join(sorted(topic_slugs))})"))
            continue
        parsed = cache.get("lede", path, rel, _parse_lede)
        problems.extend(parsed.problems)
        if parsed.values is None or has_errors(parsed.problems):
            continue
        body, body_line = parsed.trimmed()
        ledes.append(Lede(rel, week, topic, body, parsed.values["watch"], body_line))
    return ledes, problems


def _lede_location_message(label: str, is_week: bool = False) -> str:
    usual = "a lede lives in weeks/<YYYY>-W<ww>.md or weeks/<YYYY>-W<ww>/<topic>.md (ISO week, e.g. 2025-W37)"
    if is_week:  # a real week, one folder too deep
        return f"too many folders below weeks/{label}/: {usual}"
    year, _, week = label.partition("-W")
    if year.isdigit() and week.isdigit() and len(year) == 4 and len(week) == 2:
        weeks = 53 if IsoWeek.parse(f"{year}-W53") else 52
        return f"{label} is not a week: ISO year {year} has {weeks} weeks; {usual}"
    return usual


def load_entity_descriptions(tree: DocsTree, cache: ParseCache) -> tuple[list[EntityInfo], list[Problem]]:
    """Editors' one-line descriptions of entities, ``entities/<slug>.md``, with an optional background."""
    found: list[EntityInfo] = []
    problems: list[Problem] = []
    for path, rel in tree.entities:
        slug = rel.removeprefix(paths.ENTITIES_DIR + "/").removesuffix(".md")
        if "/" in slug or not schema.is_slug(slug) or slug in paths.RESERVED_SLUGS:
            problems.append(
                warning(
                    rel, 1, "", "entities/ holds generated entity pages; an editor's file here must be entities/<entity-slug>.md"
                )
            )
            continue
        parsed = cache.get("entity", path, rel, _parse_entity)
        problems.extend(parsed.problems)
        if parsed.values is not None and not has_errors(parsed.problems):
            background, background_line = parsed.trimmed()
            found.append(EntityInfo(rel, slug, parsed.values["description"], background, background_line))
    return found, problems


def _first_heading(body: str) -> str | None:
    for line in body.splitlines():
        if line.startswith("# "):
            return line[2:].strip().rstrip("#").strip() or None
    return None


def load_pages(tree: DocsTree, cache: ParseCache) -> tuple[list[EditorPage], list[Problem]]:
    pages: list[EditorPage] = []
    problems: list[Problem] = []
    for path, rel in tree.pages:
        parsed = cache.get("page", path, rel, _parse_page)
        problems.extend(parsed.problems)
        if parsed.values is None or has_errors(parsed.problems):
            continue
        v = parsed.values
        title = v["title"] or _first_heading(parsed.body)
        pages.append(EditorPage(rel, title, v["description"], parsed.body, v["tags"], v["hide"], parsed.body_line))
    return pages, problems


def load_site(docs_dir: Path, *, include_drafts: bool = False, cache: ParseCache | None = None) -> Corpus:
    """Load and validate every note, topic, lede, entity description and editor page under ``docs_dir``.

    Drafts are validated like other notes; ``include_drafts`` decides whether
    they are part of the corpus (``mkdocs serve``) or not (``mkdocs build``).
    """
    cache = cache or ParseCache()
    tree = scan(docs_dir)
    problems = list(tree.problems)
    topics, topic_problems = load_topics(docs_dir, cache, tree)
    problems += topic_problems
    slugs = {t.slug for t in topics}
    files = {rel.removeprefix(paths.TOPICS_DIR + "/").removesuffix(".md") for _, rel in tree.topics}
    broken = frozenset(files - slugs)
    published: list[Note] = []
    draft_notes: list[Note] = []
    rejected: list[str] = []
    note_lines: dict[str, dict[str, int]] = {}
    for path, rel in tree.notes:
        parsed = cache.get("note", path, rel, _parse_note)
        note, cross = _note_from(rel, parsed, slugs, broken_topics=broken)
        note = cache.same_as_last(parsed, note) if note is not None else None
        found = list(parsed.problems) + cross
        if note is not None and note.draft:  # a draft is work in progress: a placeholder is expected there
            found = [p for p in found if not _is_placeholder(p)]
        problems += found
        if note is None:
            rejected.append(rel)
        else:
            (draft_notes if note.draft else published).append(note)
            note_lines[rel] = parsed.lines
    rejected += [p.path for p in tree.problems if p.path.startswith(paths.NOTES_DIR + "/") and p.path.endswith(".md")]
    published, collisions = _check_collisions(published, note_lines)
    # Drafts are checked like every note, against the published ones, whether or not this build shows them
    # (so check, build and serve report the same); a clash is the draft's problem, never the published note's.
    both, draft_collisions = _check_collisions(published + draft_notes, note_lines)
    collisions += [problem for problem in draft_collisions if problem.path in {n.path for n in draft_notes}]
    good_drafts = [note for note in both if note.draft]
    problems += collisions
    rejected += [p.path for p in collisions]
    order = {rel: index for index, (_, rel) in enumerate(tree.notes)}
    notes = sorted(published + good_drafts, key=lambda n: order[n.path]) if include_drafts else published
    watched = {topic.path for topic in topics}
    entity_lines = {
        rel: cache.get("topic", path, rel, _parse_topic).lines.get("entities", 1) for path, rel in tree.topics if rel in watched
    }
    problems += _check_watch_lists(topics, both, entity_lines)
    drafts = [] if include_drafts else [note.path for note in good_drafts]
    ledes, lede_problems = load_ledes(tree, cache, slugs)
    problems += lede_problems
    descriptions, entity_problems = load_entity_descriptions(tree, cache)
    problems += entity_problems
    pages, page_problems = load_pages(tree, cache)
    problems += page_problems
    cache.sweep()
    problems.sort(key=report_order)
    return Corpus(
        notes=tuple(notes),
        topics=tuple(topics),
        ledes=tuple(ledes),
        pages=tuple(pages),
        static=tuple(tree.static),
        entities=tuple(descriptions),
        problems=tuple(problems),
        rejected=tuple(sorted(set(rejected))),
        drafts=tuple(drafts),
    )
