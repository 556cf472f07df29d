"""``briefing export``: every generated page as Markdown files, for other engines and reviewers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.build import Build
from generator.files import write_if_changed
from generator.render import HOME_PATH, Renderer

MANIFEST = ".briefing-export.json"


@dataclass(frozen=True)
class ExportResult:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]


class UnsafeOutput(ValueError):
    """The output folder would overwrite what editors write."""


def export_pages(build: Build, renderer: Renderer, docs_dir: Path) -> Iterator[tuple[str, str]]:
    """(relative path, Markdown) of every page the site publishes, generated or decorated."""
    for page in build.pages:
        yield page.path, page.markdown
    topics = build.site.topics
    for note in build.site.notes:
        yield note.path, renderer.note_header(note, topics) + note.body
    home = docs_dir / HOME_PATH
    editor_home = home.read_text(encoding="utf-8") if home.is_file() else ""
    yield HOME_PATH, editor_home.rstrip() + "\n\n" + renderer.home_section(build.site)


def export(build: Build, renderer: Renderer, docs_dir: Path, out_dir: Path) -> ExportResult:
    """Write the pages under ``out_dir``, only those whose bytes changed, each atomically.

    Files a previous export wrote and this one does not (a deleted note's
    page) are removed; nothing else in ``out_dir`` is touched.
    """
    docs, out = docs_dir.resolve(), out_dir.resolve()
    if out == docs or out.is_relative_to(docs) or docs.is_relative_to(out):
        raise UnsafeOutput(f"refusing to export into {out_dir}: it overlaps the docs folder {docs_dir}")
    written: list[str] = []
    unchanged = 0
    paths: list[str] = []
    for rel, text in export_pages(build, renderer, docs_dir):
        paths.append(rel)
        if write_if_changed(out / rel, text.encode("utf-8")):
            written.append(rel)
        else:
            unchanged += 1
    manifest = out / MANIFEST
    try:
        previous = set(json.loads(manifest.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        previous = set()
    removed = sorted(previous - set(paths))
    for rel in removed:
        target = (out / rel).resolve()
        if target.is_relative_to(out):
            target.unlink(missing_ok=True)
    # Only if changed: a run that changes nothing must leave every mtime alone.
    write_if_changed(manifest, json.dumps(sorted(paths), indent=0).encode("utf-8"))
    return ExportResult(tuple(written), unchanged, tuple(removed))
