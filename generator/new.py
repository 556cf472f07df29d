"""``briefing new``: a new note from the ``new_note.md.j2`` template, never overwriting one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jinja2

from generator import paths, schema
from generator.files import create_new
from generator.render import NEW_NOTE, template_dirs
from generator.schema import PLACEHOLDER
from generator.slugs import title_slug


def _yaml_scalar(value: object) -> str:
    """Every value the template places becomes a YAML scalar that reads back as itself."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, dt.date)):
        return str(value).lower() if isinstance(value, bool) else str(value)
    if isinstance(value, (list, tuple)):
        return json.dumps([str(v) for v in value], ensure_ascii=False)  # a YAML flow sequence
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _not_utf8(option: str, value: str) -> str | None:
    """Python turns bytes that are not UTF-8 in a command line into lone surrogates (U+DC80-U+DCFF)."""
    for position, char in enumerate(value, start=1):
        if 0xDC80 <= ord(char) <= 0xDCFF:
            return (
                f"{option} is not valid UTF-8: byte 0x{ord(char) - 0xDC00:02x} at character {position} "
                "(a terminal set to Latin-1?); set the terminal to UTF-8 and type it again"
            )
    return None


def argument_problems(
    *, title: str, topics: list[str], day: dt.date, url: str | None, source: str | None, language: str
) -> list[str]:
    """What is wrong with ``briefing new``'s arguments, as messages; the note is written only when there is nothing.

    The values are checked as ``briefing check`` checks them in a note, so a
    note written from good arguments passes (a placeholder summary aside).
    """
    given = [("TITLE", title), ("--language", language), ("--url", url), ("--source", source)]
    given += [("--topic", topic) for topic in topics]
    problems = [problem for option, value in given if value is not None and (problem := _not_utf8(option, value))]
    if problems:
        return problems
    checks = [("TITLE", "title", title), ("--date", "date", day), ("--language", "source.language", language)]
    checks += [("--url", "source.url", url), ("--source", "source.name", source)]
    for option, dotted, value in checks:
        if value is not None:
            problems += [f"{option}: {message}" for message in schema.check_value(dotted, value)]
    return problems


def note_path(docs_dir: Path, title: str, day: dt.date) -> Path:
    return docs_dir / paths.note_path(day.isoformat(), title_slug(title))


def render_note(
    templates: Path | None,
    *,
    title: str,
    topics: list[str],
    day: dt.date,
    url: str | None,
    source: str | None,
    language: str,
) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(templates)]),
        undefined=jinja2.StrictUndefined,
        finalize=_yaml_scalar,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(NEW_NOTE).render(
        title=title, topics=topics, date=day, url=url, source=source, language=language, placeholder=PLACEHOLDER
    )


def create_note(path: Path, text: str) -> None:
    """Write the note; ``FileExistsError`` if the name is taken (by an earlier or a concurrent run)."""
    create_new(path, text.encode("utf-8"))
