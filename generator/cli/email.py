"""``briefing email``: a week's briefing as an email message, written, printed or sent.

A thin command over ``compose`` (pure) and ``send`` (the network). Exit
codes: 0 done; 1 the message could not be sent (or written); 2 a usage,
settings or week problem, said before anything is composed or sent.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

import click

from generator.build import build
from generator.email.compose import (
    GMAIL_CLIP_BYTES,
    EditionNotFound,
    EmailRenderer,
    compose,
    email_html,
    email_text,
    html_part,
    message_bytes,
    recipients,
    select_edition,
)
from generator.email.send import SendError, describe_server, readiness, send
from generator.email.settings import SECURITY, Config, EmailSettings, Overrides, SettingsError, email_settings
from generator.files import write_atomic
from generator.problems import Severity
from generator.settings import SiteConfig
from generator.weeks import IsoWeek

CONFIG_FILE = Path("mkdocs.yml")
EXIT_FAILED = 1
EXIT_USAGE = 2


def _fail(message: str, code: int) -> None:
    for line in message.splitlines():
        click.echo(line if line.startswith("error") or ": error:" in line else f"error: {line}", err=True)
    sys.exit(code)


def _parse_week(value: str | None) -> IsoWeek | None:
    if value is None:
        return None
    week = IsoWeek.parse(value.strip().upper())
    if week is None:
        raise click.BadParameter(f"expected an ISO week such as 2025-W38, found {value!r}", param_hint="WEEK")
    return week


def _parse_date(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"expected YYYY-MM-DD or an ISO 8601 date-time (2025-09-22T08:00:00+02:00), found {value!r}", param_hint="--date"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def _size(n: int) -> str:
    return f"{n:,} bytes ({n / 1000:.1f} kB)"


@click.command("email")
@click.argument("week", required=False, metavar="[WEEK]")
@click.option("--topic", metavar="SLUG", help="One topic's briefing instead of the week's digest of every topic.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of standard output.")
@click.option(
    "--html", "part", flag_value="html", help="Only the HTML part (inlined CSS), e.g. to paste into a newsletter service."
)
@click.option("--text", "part", flag_value="text", help="Only the plain-text part.")
@click.option("--send", "deliver", is_flag=True, help="Deliver by SMTP (settings under email.smtp in mkdocs.yml).")
@click.option("--dry-run", is_flag=True, help="Show the recipients, the server and the size; send nothing.")
@click.option(
    "--from", "sender", metavar="ADDRESS", help="From, e.g. 'Briefings <briefings@example.org>' (overrides email.from)."
)
@click.option("--to", multiple=True, metavar="ADDRESS", help="A recipient; repeat for several (overrides email.to).")
@click.option("--reply-to", metavar="ADDRESS", help="Reply-To (overrides email.reply_to).")
@click.option("--smtp-host", metavar="HOST", help="SMTP server (overrides email.smtp.host).")
@click.option("--smtp-port", type=click.IntRange(1, 65535), metavar="PORT", help="Default: 587 starttls, 465 ssl, 25 none.")
@click.option("--smtp-security", type=click.Choice(SECURITY), help="starttls, ssl or none (overrides email.smtp.security).")
@click.option("--smtp-user", metavar="USER", help="Login name; the password comes from the environment only.")
@click.option("--password-env", metavar="NAME", help="Variable holding the SMTP password [default: BRIEFING_SMTP_PASSWORD].")
@click.option("--date", "date_text", metavar="DATE", help="The Date header (YYYY-MM-DD or ISO 8601); default now.")
@click.pass_context
def email_command(
    ctx: click.Context,
    week: str | None,
    topic: str | None,
    output: Path | None,
    part: str | None,
    deliver: bool,
    dry_run: bool,
    sender: str | None,
    to: tuple[str, ...],
    reply_to: str | None,
    smtp_host: str | None,
    smtp_port: int | None,
    smtp_security: str | None,
    smtp_user: str | None,
    password_env: str | None,
    date_text: str | None,
) -> None:
    """Write a week's briefing as an email message (.eml: text and HTML), or send it.

    WEEK is an ISO week such as 2025-W38; the default is the latest week with
    notes. Without --topic the message is the week's digest of every topic.
    The message goes to standard output unless -o FILE is given; with --send
    it is delivered by SMTP (after it is written, when -o is given, so a failed
    send leaves the .eml). From, To, Reply-To and the server come from the
    options or from the `email` options of the briefing plugin in mkdocs.yml;
    the SMTP password only from the environment (BRIEFING_SMTP_PASSWORD).

    \b
    Examples:
      briefing email 2025-W38 -o 2025-W38.eml
      briefing email 2025-W38 --topic export-controls --html > paste-me.html
      briefing email --send --dry-run
      BRIEFING_SMTP_PASSWORD=... briefing email 2025-W38 --send -o sent.eml
    """
    if part and (deliver or dry_run):
        raise click.UsageError("--html and --text print one part; --send and --dry-run are for the whole message")
    when = _parse_date(date_text)
    chosen_week = _parse_week(week)
    site_config: SiteConfig = ctx.obj
    config_file = Path(ctx.find_root().params.get("config_file") or CONFIG_FILE)
    overrides = Overrides(sender, to, reply_to, smtp_host, smtp_port, smtp_security, smtp_user, password_env)
    try:
        settings = email_settings(Config.of(site_config, _display(config_file)), overrides)
    except SettingsError as exc:
        _fail(str(exc), EXIT_USAGE)

    site = build(site_config)  # pages are composed only when asked for: the message needs none
    for problem in site.problems:
        if problem.severity is Severity.ERROR:
            click.echo(f"{_display(site_config.docs_dir)}/{problem}; left out of the message", err=True)
    try:
        edition = select_edition(site.archive, chosen_week, topic)
    except EditionNotFound as exc:
        _fail(str(exc), EXIT_USAGE)

    renderer = EmailRenderer(site_config.templates_dir)
    if part is not None:
        render = email_html if part == "html" else email_text
        _emit(render(edition, settings, settings.url, renderer=renderer).encode("utf-8"), output)
        return
    message = compose(edition, settings, settings.url, date=when, renderer=renderer)
    data = message_bytes(message)
    html_bytes = len(html_part(message).encode("utf-8"))
    if html_bytes > GMAIL_CLIP_BYTES:
        click.echo(
            f"warning: the HTML part is {_size(html_bytes)}; Gmail clips messages above about 102 kB and hides the rest",
            err=True,
        )
    if output is not None or not (deliver or dry_run):
        if not deliver and not dry_run and not (message["From"] and recipients(message)):
            click.echo(
                "note: no From or To yet (email.from and email.to in mkdocs.yml, or --from and --to); "
                "mail clients open the message as a draft",
                err=True,
            )
        _emit(data, output)
    if dry_run:
        _report(message, settings, data, html_bytes)
        return
    if deliver:
        _deliver(message, settings, output)


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        write_atomic(output, data)
    except OSError as exc:
        _fail(f"cannot write {_display(output)}: {exc.strerror or exc}", EXIT_FAILED)
    click.echo(f"wrote {_display(output)} ({_size(len(data))})", err=True)


def _password(settings: EmailSettings) -> str | None:
    return os.environ.get(settings.smtp.password_env) or None


def _report(message: Any, settings: EmailSettings, data: bytes, html_bytes: int) -> None:
    smtp = settings.smtp
    lines = [
        f"Subject:  {message['Subject']}",
        f"From:     {message['From'] or '(none)'}",
        f"To:       {', '.join(recipients(message)) or '(none)'}",
    ]
    if message["Reply-To"]:
        lines.append(f"Reply-To: {message['Reply-To']}")
    if smtp.host:
        login = f", login {smtp.user} with the password in ${smtp.password_env}" if smtp.user else ", no login"
        state = " (set)" if smtp.user and _password(settings) else " (NOT set)" if smtp.user else ""
        lines.append(f"Server:   {describe_server(smtp)}{login}{state}")
    else:
        lines.append("Server:   (none)")
    lines.append(f"Size:     {_size(len(data))}; HTML part {_size(html_bytes)} (Gmail clips above 102 kB)")
    problems = readiness(message, smtp, _password(settings))
    lines += [f"--send would stop: {p}" for p in problems] or ["Nothing sent (--dry-run)."]
    click.echo("\n".join(lines))


def _deliver(message: Any, settings: EmailSettings, output: Path | None) -> None:
    problems = readiness(message, settings.smtp, _password(settings))
    if problems:
        _fail("\n".join(f"not sent: {p}" for p in problems), EXIT_USAGE)
    kept = f"; the message is in {_display(output)}" if output else "; give -o FILE to keep a copy of the message"
    try:
        delivery = send(message, settings.smtp, _password(settings))
    except SendError as exc:
        _fail(f"not sent: {exc}{kept}", EXIT_FAILED)
    click.echo(f"sent to {', '.join(delivery.accepted)} via {delivery.server}", err=True)
    if delivery.refused:
        refused = "; ".join(f"{address}: {answer}" for address, answer in delivery.refused.items())
        _fail(f"some recipients were refused: {refused}{kept}", EXIT_FAILED)
