"""The ``briefing`` command: thin commands over the core, in the manner of ``hugo`` and ``mkdocs``."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from generator import jsonschema, new, parallel
from generator.build import build
from generator.check import check
from generator.cli.email import email_command
from generator.export import UnsafeOutput, export
from generator.files import OutsideTarget
from generator.loader import load_topics
from generator.settings import CONFIG_FILE, ConfigError, SiteConfig, read_config
from generator.watch import changes, watched_files


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
      briefing export build/site-markdown
    """
    try:
        ctx.obj = read_config(config_file)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@main.command("new")
@click.argument("title")
@click.option("--topic", "topics", multiple=True, required=True, help="Topic slug; repeat for several topics.")
@click.option("--url", help="The source's URL (http or https).")
@click.option("--source", "source_name", help="The source's name, e.g. Reuters.")
@click.option("--language", default="en", show_default=True, help="ISO 639-1 code of the source's language.")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]), help="Date of the event (YYYY-MM-DD); default today.")
@click.pass_obj
def new_command(
    config: SiteConfig, title: str, topics: tuple[str, ...], url: str | None, source_name: str | None, language: str, day: Any
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
    known, _ = load_topics(config.docs_dir)
    slugs = [t.slug for t in known]
    unknown = [t for t in topics if t not in slugs]
    if unknown:
        click.echo(f"error: unknown topic {', '.join(unknown)}; known topics: {', '.join(slugs) or 'none'}", err=True)
        sys.exit(2)
    path = new.note_path(config.docs_dir, title, when)
    text = new.render_note(
        config.templates_dir,
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


@main.command("check")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def check_command(config: SiteConfig, paths: tuple[Path, ...], output: str) -> None:
    """Validate notes, topics, ledes and pages; print every problem as path:line.

    Exits 1 if any file has an error. With PATHs, reports only on those files
    and folders (the whole site is still read, to know topics and URLs); notes
    outside the docs folder are checked against the site's topics.

    \b
    Examples:
      briefing check
      briefing check briefings/notes/2025/2025-09-11-alibaba-baidu.md
      briefing check --format json | jq '.[] | select(.severity == "error")'
    """
    report = check(config, paths, display=lambda path: _display(path))
    if output == "json":
        click.echo(json.dumps([p.as_dict() for p in report.problems], ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            click.echo(str(problem))
        click.echo(
            f"checked {report.notes} notes, {report.topics} topics, {report.ledes} ledes: "
            f"{report.errors} error{'s' * (report.errors != 1)}, {report.warnings} warning{'s' * (report.warnings != 1)}",
            err=True,
        )
    if report.errors:
        sys.exit(1)


ENGINES = {
    "zensical": "zensical build",
    "mkdocs": "mkdocs build && python -m generator.search site",
    "properdocs": "properdocs build -f mkdocs.yml && python -m generator.search site",
}


@main.command("export")
@click.argument("out_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--engine",
    type=click.Choice(sorted(ENGINES)),
    default="zensical",
    show_default=True,
    help="The engine that will build the project: zensical (its own search) or mkdocs/properdocs (Pagefind's: "
    "run `python -m generator.search SITE_DIR` after the build).",
)
@click.option(
    "--watch", is_flag=True, help="Keep running: export again whenever a file of the site changes (for `zensical serve`)."
)
@click.option(
    "--interval", type=click.FloatRange(0.1, 60), default=1.0, show_default=True, help="With --watch: seconds between looks."
)
@click.pass_obj
def export_command(config: SiteConfig, out_dir: Path, engine: str, watch: bool, interval: float) -> None:
    """Write the whole site as a Markdown project under OUT_DIR, for any engine.

    OUT_DIR gets mkdocs.yml (the site's settings and navigation, no plugin
    needed), docs/ (every page with its front matter, the feeds, the
    stylesheet, the editors' files) and overrides/ (the 404 page and the
    theme additions): `zensical build`, or plain `mkdocs build`, there
    publishes the same site as the briefing plugin. Writes only files whose
    bytes changed, each atomically; removes files an earlier export wrote and
    this one does not; touches nothing else. Notes with errors are left out,
    as in `mkdocs build`; drafts too.

    \b
    Examples:
      briefing export build/site-markdown && (cd build/site-markdown && zensical build)
      briefing export build/site-markdown --watch &   # then, in build/site-markdown: zensical serve
    """
    _export_once(config, out_dir, engine)
    if not watch:
        click.echo(f"next: cd {_display(out_dir)} && {ENGINES[engine]}", err=True)
        return
    click.echo(f"watching {_display(config.docs_dir)} and the templates; Ctrl-C stops", err=True)
    try:
        for _ in changes(watched_files(config), interval):
            _export_once(config, out_dir, engine)
    except KeyboardInterrupt:
        pass


def _export_once(config: SiteConfig, out_dir: Path, engine: str) -> None:
    site = build(config)
    for problem in site.problems:
        click.echo(f"{_display(config.docs_dir)}/{problem}", err=True)
    parallel.compose_all(site.pages, site.files)
    try:
        done = export(site, out_dir, engine)
    except (UnsafeOutput, OutsideTarget) as exc:
        raise click.ClickException(str(exc)) from exc
    for line in done.warnings:
        click.echo(f"warning: {line}", err=True)
    click.echo(
        f"{_display(out_dir)}: {len(done.written)} written, {done.unchanged} unchanged, {len(done.removed)} removed", err=True
    )


@main.command("schema")
@click.option("--kind", type=click.Choice(["note", "topic", "lede", "entity", "page"]), default="note", show_default=True)
def schema_command(kind: str) -> None:
    """Print the JSON Schema of a note's (or topic's, lede's, entity's, page's) front matter.

    \b
    Example:
      briefing schema > .vscode/note.schema.json
    """
    click.echo(json.dumps(jsonschema.json_schema(kind), indent=2, ensure_ascii=False))


main.add_command(email_command)
