"""``briefing new``: a new note from the ``new_note.md.j2`` template, never overwriting one."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import jinja2

from generator import paths
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
