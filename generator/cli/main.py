"""The ``briefing`` command: thin commands over the core, in the manner of ``hugo`` and ``mkdocs``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shutil
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from generator import jsonschema, new, parallel
from generator.build import CONFIG_PROBLEM_PATH, build
from generator.check import check
from generator.cli.email import email_command
from generator.export import UnsafeOutput, export
from generator.files import OutsideTarget
from generator.loader import load_topics
from generator.problems import Problem, Severity
from generator.settings import CONFIG_FILE, ConfigError, SiteConfig, read_config
from generator.watch import changes, watched_files


def _display(path: Path) -> str:
    """``path`` relative to the working folder, by its own name: a link is not followed to where it leads."""
    here, there = os.path.abspath(Path.cwd()), os.path.normpath(os.path.abspath(path))
    return Path(os.path.relpath(there, here)).as_posix() if there.startswith(here + os.sep) else str(path)


# Commands that report what is wrong in mkdocs.yml with everything else; the others stop on an error there.
REPORTS_CONFIG = ("check", "export")
NEEDS_NO_CONFIG = ("schema",)
EXIT_CONFIG = {"email": 2}  # `briefing email` exits 2 on a settings problem; the others 1


def _config_name(config_file: Path) -> str:
    """mkdocs.yml (or the file given with -f) as messages name it: as typed, or relative to the current folder."""
    return _display(config_file) if config_file.is_absolute() else config_file.as_posix()


def _current_config_name() -> str:
    return _config_name(Path(click.get_current_context().find_root().params["config_file"]))


def _displayer(config: SiteConfig) -> Callable[[Path], str]:
    """How a problem's path is shown: the build reports the configuration as ``../mkdocs.yml``
    (beside the docs dir); that is the file actually read, whatever its name and place."""
    config_at = os.path.normpath(os.path.abspath(config.docs_dir / CONFIG_PROBLEM_PATH))
    name = _current_config_name()
    return lambda path: name if os.path.normpath(os.path.abspath(path)) == config_at else _display(path)


def _located(config: SiteConfig, problems: Iterable[Problem]) -> list[Problem]:
    """The build's problems (paths relative to the docs dir) with their paths as the reader sees them."""
    show = _displayer(config)
    return [dataclasses.replace(p, path=show(config.docs_dir / p.path)) for p in problems]


HELP = ("-h", "--help")


class _Commands(click.Group):
    """The command group; notes whether the subcommand was asked for its help, which needs no configuration."""

    def resolve_command(self, ctx: click.Context, args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        ctx.meta["briefing.help"] = any(arg in HELP for arg in args[1:])
        return super().resolve_command(ctx, args)


class _Day(click.ParamType):  # type: ignore[type-arg]
    """A date written YYYY-MM-DD; a date that does not exist (2025-13-01) is told so."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        if len(text) != 10 or not text[:4].isdigit() or text[4] != "-" or text[7] != "-":
            self.fail(f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2025-09-11", param, ctx)
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.fail(f"'{text}' is not a real date (month 01-12, a day that month has)", param, ctx)


_DAY = _Day()


def _asks_for_help(ctx: click.Context) -> bool:
    return bool(ctx.meta.get("briefing.help"))


@click.group(cls=_Commands, context_settings={"help_option_names": list(HELP), "max_content_width": 100})
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
    if _asks_for_help(ctx):  # a subcommand's --help works whatever state mkdocs.yml is in
        return
    if ctx.get_parameter_source("config_file") is not ParameterSource.DEFAULT and not config_file.exists():
        # As `mkdocs -f` says it: a file named on the command line must be there; only the default may be missing.
        raise click.BadParameter(f"'{config_file}': No such file or directory", ctx=ctx, param_hint="'-f' / '--config-file'")
    try:
        ctx.obj = config = read_config(config_file, _config_name(config_file))
    except ConfigError as exc:
        click.echo(str(exc.problem), err=True)
        ctx.exit(EXIT_CONFIG.get(ctx.invoked_subcommand or "", 1))
    command = ctx.invoked_subcommand or ""
    errors = [p for p in config.problems if p.severity is Severity.ERROR]
    if errors and command not in REPORTS_CONFIG + NEEDS_NO_CONFIG:
        for problem in errors:
            click.echo(str(problem), err=True)
        ctx.exit(EXIT_CONFIG.get(command, 1))


@main.command("new")
@click.argument("title")
@click.option("--topic", "topics", multiple=True, required=True, help="Topic slug; repeat for several topics.")
@click.option("--url", help="The source's URL (http or https).")
@click.option("--source", "source_name", help="The source's name, e.g. Reuters.")
@click.option("--language", default="en", show_default=True, help="ISO 639-1 code of the source's language.")
@click.option("--date", "day", type=_DAY, help="Date of the event (YYYY-MM-DD); default today.")
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
    topics = tuple(dict.fromkeys(topics))  # --topic chips --topic chips is one topic
    language = language.strip().lower()  # EN is en (check would warn about the capitals)
    when = day or dt.date.today()
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
    report = check(config, paths, display=_displayer(config))
    # What is wrong in mkdocs.yml concerns every file; only its errors when reporting on some files (the
    # site-wide warnings are left out then too).
    settings = [p for p in config.problems if not paths or p.severity is Severity.ERROR]
    report = dataclasses.replace(report, problems=(*settings, *report.problems))
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
@click.option(
    "--strict",
    is_flag=True,
    help="As `mkdocs build --strict`: any problem, a warning too, fails the export (exit 1) and nothing is written.",
)
@click.pass_obj
def export_command(config: SiteConfig, out_dir: Path, engine: str, watch: bool, interval: float, strict: bool) -> None:
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
    for problem in config.problems:
        click.echo(str(problem), err=True)
    if any(p.severity is Severity.ERROR for p in config.problems) or (strict and config.problems):
        raise click.ClickException(f"{_current_config_name()} has {'errors' if not strict else 'problems'}; nothing exported")
    if strict and watch:
        raise click.UsageError("--strict is for one export; --watch keeps exporting whatever the notes say")
    _export_once(config, out_dir, engine, strict)
    if not watch:
        command = ENGINES[engine]
        program = command.split()[0]
        installed = shutil.which(program) or (Path(sys.executable).parent / program).exists()
        missing = "" if installed else f" (install it first: pip install -e '.[{engine}]')"
        click.echo(f"next: cd {_display(out_dir)} && {command}{missing}", err=True)
        return
    click.echo(f"watching {_display(config.docs_dir)} and the templates; Ctrl-C stops", err=True)
    try:
        for _ in changes(watched_files(config), interval):
            _export_once(config, out_dir, engine)
    except KeyboardInterrupt:
        pass


def _export_once(config: SiteConfig, out_dir: Path, engine: str, strict: bool = False) -> None:
    site = build(config)
    for problem in _located(config, site.problems):
        click.echo(str(problem), err=True)
    if strict and site.problems:
        raise click.ClickException(f"{len(site.problems)} problems (--strict); nothing exported")
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
