"""The ``briefing`` command: thin commands over the core, in the manner of ``hugo`` and ``mkdocs``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
import yaml

from generator import jsonschema, new
from generator.assemble import assemble
from generator.build import Build, build
from generator.export import UnsafeOutput, export
from generator.loader import ParseCache, check_loose_notes, load_site, load_topics
from generator.problems import Problem, Severity
from generator.render import Renderer

CONFIG_FILE = "mkdocs.yml"


@dataclass(frozen=True)
class Settings:
    """What the commands need from ``mkdocs.yml``: the docs dir and the plugin's options."""

    docs_dir: Path
    templates: Path
    allow_raw_html: bool

    def renderer(self) -> Renderer:
        return Renderer(self.templates, allow_raw_html=self.allow_raw_html)


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without choking on tags such as ``!!python/name:`` or ``!ENV``."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def load_settings(config_file: Path) -> Settings:
    root = config_file.resolve().parent
    config: dict[str, Any] = {}
    if config_file.is_file():
        try:
            config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_TolerantLoader) or {}
        except yaml.YAMLError as exc:
            raise click.ClickException(f"{config_file}: not valid YAML: {exc}") from exc
    options: dict[str, Any] = {}
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("briefing"), dict):
            options = plugin["briefing"]
    return Settings(
        docs_dir=root / str(config.get("docs_dir", "docs" if config else "briefings")),
        templates=root / str(options.get("templates_dir", "templates")),
        allow_raw_html=bool(options.get("allow_raw_html", False)),
    )


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(version=None, package_name="briefing-generator", prog_name="briefing", message="%(prog)s %(version)s")
@click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=CONFIG_FILE,
    show_default=True,
    help="The site's MkDocs configuration; the docs dir and plugin options are read from it.",
)
@click.pass_context
def main(ctx: click.Context, config_file: Path) -> None:
    """Turn source notes into weekly briefings.

    \b
    Examples:
      briefing new "Baidu unveils Kunlun M100" --topic ai-chip-self-sufficiency
      briefing check
      briefing export build/markdown
    """
    ctx.obj = load_settings(config_file)


@main.command("new")
@click.argument("title")
@click.option("--topic", "topics", multiple=True, required=True, help="Topic slug; repeat for several topics.")
@click.option("--url", help="The source's URL (http or https).")
@click.option("--source", "source_name", help="The source's name, e.g. Reuters.")
@click.option("--language", default="en", show_default=True, help="ISO 639-1 code of the source's language.")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date of the event (YYYY-MM-DD); default today.")
@click.pass_obj
def new_command(
    settings: Settings, title: str, topics: tuple[str, ...], url: str | None, source_name: str | None, language: str, day: Any
) -> None:
    """Write a new note from the template and print its path.

    The note starts as a draft (`draft: true`): it shows under `mkdocs serve`
    only, until you set `draft: false`. Never overwrites: exits 1 if the note
    exists, 2 if a topic is unknown or an argument would not pass `briefing check`.

    \b
    Example:
      briefing new "Alibaba and Baidu train models on in-house chips" \\
        --topic ai-chip-self-sufficiency --source Reuters \\
        --url https://www.reuters.com/... --date 2025-09-11
    """
    when = day.date() if day else dt.date.today()
    problems = new.argument_problems(title=title, topics=list(topics), day=when, url=url, source=source_name, language=language)
    if problems:
        for problem in problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(2)
    known, _ = load_topics(settings.docs_dir, ParseCache())
    slugs = [t.slug for t in known]
    unknown = [t for t in topics if t not in slugs]
    if unknown:
        click.echo(f"error: unknown topic {', '.join(unknown)}; known topics: {', '.join(slugs) or 'none'}", err=True)
        sys.exit(2)
    path = new.note_path(settings.docs_dir, title, when)
    text = new.render_note(
        settings.templates,
        title=" ".join(title.split()),
        topics=list(topics),
        day=when,
        url=url,
        source=source_name,
        language=language,
    )
    try:
        new.create_note(path, text)
    except FileExistsError:
        click.echo(f"error: {_display(path)} exists; not overwriting it", err=True)
        sys.exit(1)
    click.echo(_display(path))


def _markdown_files(path: Path) -> list[Path]:
    return [path] if path.is_file() else sorted(p for p in path.rglob("*.md") if p.is_file())


def _selected(problem: Problem, docs_dir: Path, targets: list[Path]) -> bool:
    path = (docs_dir / problem.path).resolve()
    return any(path == t or path.is_relative_to(t) for t in targets)


def _checked_site(docs_dir: Path) -> Build:
    """Load and assemble, without rendering: no problem comes from rendering, and it is most of a build's time."""
    corpus = load_site(docs_dir, include_drafts=True)
    return Build(corpus, assemble(corpus), pages=())


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def check_command(settings: Settings, paths: tuple[Path, ...], output: str) -> None:
    """Validate notes, topics and ledes; print every problem as path:line.

    Exits 1 if any file has an error. With PATHs, reports only on those files
    and folders (the whole site is still read, to know topics and URLs); notes
    outside the docs folder are checked against the site's topics.

    \b
    Examples:
      briefing check
      briefing check briefings/notes/2025/2025-09-11-alibaba-baidu.md
      briefing check --format json | jq '.[] | select(.severity == "error")'
    """
    result = _checked_site(settings.docs_dir)
    docs = settings.docs_dir.resolve()
    inside = [p.resolve() for p in paths if p.resolve().is_relative_to(docs)]
    # A folder around the docs dir (`briefing check .`) means the site, not a pile of loose notes.
    inside += [docs for p in paths if docs.is_relative_to(p.resolve()) and p.resolve() != docs]
    outside = [p for p in paths if not p.resolve().is_relative_to(docs) and not docs.is_relative_to(p.resolve())]
    prefix = _display(settings.docs_dir)
    located = [
        Problem(f"{prefix}/{p.path}", p.line, p.severity, p.field, p.message)
        for p in result.problems
        if not paths or _selected(p, settings.docs_dir, inside)
    ]
    topic_slugs = {t.slug for t in result.corpus.topics}
    loose = check_loose_notes([(f, _display(f)) for p in outside for f in _markdown_files(p)], topic_slugs)
    located += loose.problems
    if output == "json":
        click.echo(json.dumps([p.as_dict() for p in located], ensure_ascii=False, indent=2))
    else:
        for problem in located:
            click.echo(str(problem))
        errors = sum(p.severity is Severity.ERROR for p in located)
        corpus = result.corpus
        click.echo(
            f"checked {len(corpus.notes) + len(corpus.rejected) + loose.count} notes, {len(corpus.topics)} topics, "
            f"{len(corpus.ledes)} ledes: "
            f"{errors} error{'s' * (errors != 1)}, {len(located) - errors} warning{'s' * (len(located) - errors != 1)}",
            err=True,
        )
    if any(p.severity is Severity.ERROR for p in located):
        sys.exit(1)


@main.command("export")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def export_command(settings: Settings, out_dir: Path) -> None:
    """Write every generated page as Markdown under OUT_DIR, same paths as the site.

    Writes atomically, and only files whose bytes changed; refuses to write
    inside the docs folder. Notes with errors are left out, as in `mkdocs build`.

    \b
    Example:
      briefing export build/markdown
    """
    renderer = settings.renderer()
    result = build(settings.docs_dir, renderer)
    for problem in result.problems:
        click.echo(f"{_display(settings.docs_dir)}/{problem}", err=True)
    try:
        done = export(result, renderer, settings.docs_dir, out_dir)
    except UnsafeOutput as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{_display(out_dir)}: {len(done.written)} written, {done.unchanged} unchanged, {len(done.removed)} removed", err=True
    )


@main.command("schema")
@click.option("--kind", type=click.Choice(["note", "topic", "lede"]), default="note", show_default=True)
def schema_command(kind: str) -> None:
    """Print the JSON Schema of a note's (or topic's) front matter, for editors' YAML tooling.

    \b
    Example:
      briefing schema > .vscode/note.schema.json
    """
    click.echo(json.dumps(jsonschema.json_schema(kind), indent=2, ensure_ascii=False))
