"""Compose a week's briefing as an email message: pure, over assembled data (no file of the site is read).

An *edition* is what one message carries: a week's cross-topic ``Digest`` or
one topic's ``Briefing``. ``email_html`` and ``email_text`` give its two
parts; ``compose`` wraps them in a ``multipart/alternative`` message.

Both parts say the same things, in the order an analyst reads a briefing:
a link to the page on the site, the bottom line up front, the key
developments with their summaries and every source, the other items, what
to watch. Source grades are spelled out ("reliability B: usually reliable"),
since mail clients drop the tooltips the site uses. Note bodies are left
out: an item links to its note on the site.

HTML for mail clients: one table 600 px wide that narrows on a phone,
every style inlined with css-inline (mail clients ignore or strip
``<style>``; only a small media query stays in the head for those that
keep it), no script, font, stylesheet, image or SVG, and every link
absolute. Front-matter values are HTML-escaped by the template engine
(autoescape); ledes go through the site's sanitiser (``links.fragment_html``).

Output depends only on the edition, the settings and the templates, except
the Date and Message-ID headers, which ``compose`` takes as arguments (and
fills from the clock and ``make_msgid`` only when they are not given).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses, make_msgid
from functools import cached_property, lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import css_inline
import jinja2

from generator import paths, render, schema
from generator.assemble import Archive, Briefing, Digest, Item
from generator.email.links import UrlFor, fragment_html
from generator.email.plaintext import WIDTH, References, html_to_text, keep, wrap
from generator.email.settings import EmailSettings
from generator.escape import Trusted, escape_url
from generator.languages import NAMES as LANGUAGE_NAMES
from generator.model import Lede, Note, Topic
from generator.slugs import entity_slug
from generator.weeks import IsoWeek, format_day

Edition = Digest | Briefing

HTML_TEMPLATE = "email/email.html.j2"
TEXT_TEMPLATE = "email/email.txt.j2"
STYLESHEET = "email/email.css"
_BLANK_LINES = re.compile(r"\n{3,}")
GMAIL_CLIP_BYTES = 102_000  # Gmail shows "[Message clipped]" and hides the rest of an HTML part above about 102 kB


class EditionNotFound(LookupError):
    """No briefing for the week (or topic) asked for; the message says which ones there are."""


# --- which edition ----------------------------------------------------------------


def select_edition(site: Archive, week: IsoWeek | None = None, topic: str | None = None) -> Edition:
    """The digest of ``week`` (default: the latest week), or that week's briefing of ``topic``."""
    if topic is not None:
        known = {t.slug: t for t in site.topics}
        if topic not in known:
            raise EditionNotFound(f"unknown topic {topic}; known topics: {', '.join(known) or 'none'}")
        briefings = site.briefings.get(topic, ())
        if not briefings:
            raise EditionNotFound(f"topic {topic} has no briefing yet: no published note lists it")
        if week is None:
            return briefings[0]
        for briefing in briefings:
            if briefing.week == week:
                return briefing
        raise EditionNotFound(f"no briefing of {topic} for {week.label}; its weeks: {_weeks(b.week for b in briefings)}")
    if not site.digests:
        raise EditionNotFound("no published notes, so no weekly briefing yet")
    if week is None:
        return site.digests[0]
    for digest in site.digests:
        if digest.week == week:
            return digest
    raise EditionNotFound(f"no notes in {week.label}; weeks with briefings: {_weeks(d.week for d in site.digests)}")


def _weeks(weeks: Iterator[IsoWeek] | tuple[IsoWeek, ...]) -> str:
    labels = [w.label for w in weeks]
    return ", ".join(labels[:8]) + (f" and {len(labels) - 8} earlier" if len(labels) > 8 else "")


def page_path(edition: Edition) -> str:
    """The edition's page on the site, relative to the docs dir."""
    if isinstance(edition, Digest):
        return paths.digest_path(edition.week)
    return paths.briefing_path(edition.week, edition.topic.slug)


def preview_path(edition: Edition) -> str:
    """Where ``mkdocs serve`` may show the preview: beside the page, ``weeks/2025-W38/email.html`` or ``weeks/2025-W38/<topic>/email.html``."""
    return paths.email_preview_path(edition.week, None if isinstance(edition, Digest) else edition.topic.slug)


def subject(edition: Edition) -> str:
    """``Weekly digest, 15–21 Sep 2025 (2025-W38)`` or ``Export controls, 15–21 Sep 2025 (2025-W38)``."""
    what = "Weekly digest" if isinstance(edition, Digest) else edition.topic.title
    return _one_line(f"{what}, {edition.week.range_label} ({edition.week.label})")


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- what the templates get -------------------------------------------------------


@dataclass(frozen=True)
class Group:
    """Items under one heading; ``short`` items are one line each (the digest's minor items)."""

    title: str | None
    items: tuple[Item, ...]
    short: bool = False


@dataclass(frozen=True)
class Section:
    """One topic's part of the message: the whole message for a topic briefing, one of several in a digest."""

    topic: Topic
    url: str  # the topic's briefing for the week
    line: str  # "3 items from 4 sources"
    groups: tuple[Group, ...]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _sections(edition: Edition, url: UrlFor) -> tuple[Section, ...]:
    if isinstance(edition, Briefing):
        b = edition
        groups = (
            Group("Key developments", b.key_items),
            Group("Other items", b.new_other_items),
            Group("Continuing stories", b.continuing_items),
        )
        return (Section(b.topic, url(page_path(b)), "", tuple(g for g in groups if g.items)),)
    sections = []
    for section in edition.sections:  # each story once, under the first topic that has it
        b = section.briefing
        key = tuple(shown.item for shown in section.key_items)
        other = tuple(shown.item for shown in section.other_items)
        parts = (Group(None, key), Group("Also this week" if key else None, other, short=True))
        line = f"{_plural(len(b.items), 'item')} from {_plural(b.source_count, 'source')}"
        line += f" ({section.shown_above} of them above)" if section.shown_above else ""
        sections.append(Section(b.topic, url(page_path(b)), line, tuple(g for g in parts if g.items)))
    return tuple(sections)


def _count_line(edition: Edition) -> str:
    if isinstance(edition, Digest):
        return f"{_plural(len(edition.items), 'item')} from {_plural(edition.source_count, 'source')} in {_plural(len(edition.sections), 'topic')}"
    languages = _plural(len(edition.languages), "language")
    return f"{_plural(len(edition.items), 'item')} from {_plural(edition.source_count, 'source')}, {languages}"


def grades(note: Note) -> list[str]:
    """The source's language (when not English) and grades, spelled out: mail clients show no tooltips."""
    source = note.source
    found = []
    if source.language != "en":
        found.append(f"in {LANGUAGE_NAMES.get(source.language, source.language)}")
    if source.reliability:
        found.append(f"reliability {source.reliability}: {schema.RELIABILITY_MEANING[source.reliability]}")
    if source.credibility:
        found.append(f"credibility {source.credibility}: {schema.CREDIBILITY_MEANING[source.credibility]}")
    return found


def assessment(note: Note) -> list[str]:
    """The editor's likelihood words, as written (importance orders the items; it is not a grade)."""
    return [f"assessed {note.confidence.replace('-', ' ')}"] if note.confidence else []


@dataclass(frozen=True)
class _View:
    """One edition as both templates see it."""

    edition: Edition
    settings: EmailSettings
    url: UrlFor

    @property
    def kind(self) -> str:
        return "digest" if isinstance(self.edition, Digest) else "briefing"

    @property
    def week(self) -> IsoWeek:
        return self.edition.week

    @property
    def heading(self) -> str:
        return "Weekly digest" if isinstance(self.edition, Digest) else self.edition.topic.title

    @property
    def subject(self) -> str:
        return subject(self.edition)

    @property
    def count_line(self) -> str:
        return _count_line(self.edition)

    @property
    def page_url(self) -> str:
        return self.url(page_path(self.edition))

    @property
    def lede(self) -> Lede | None:
        lede = self.edition.lede
        return lede if lede is not None and (lede.body or lede.watch) else None

    @cached_property
    def lede_html(self) -> Trusted:
        if self.lede is None or not self.lede.body:
            return Trusted("")
        return fragment_html(self.lede.body, self.lede.path, self.url)

    @cached_property
    def sections(self) -> tuple[Section, ...]:
        return _sections(self.edition, self.url)

    @property
    def previous_url(self) -> str | None:
        previous = self.edition.previous
        if previous is None:
            return None
        if isinstance(self.edition, Digest):
            return self.url(paths.digest_path(previous))
        return self.url(paths.briefing_path(previous, self.edition.topic.slug))

    @cached_property
    def preheader(self) -> str:
        """The line inbox lists show after the subject: the bottom line's start, else the first items."""
        if self.lede is not None and self.lede.body:
            text = _one_line(html_to_text(str(self.lede_html), References(), width=10_000))
            text = " ".join(word for word in text.split() if not (word.startswith("[") and word.endswith("]")))
        else:
            titles = [item.lead.title for section in self.sections for group in section.groups for item in group.items]
            text = "; ".join(titles[:3])
        return text if len(text) <= 140 else text[:139].rsplit(" ", 1)[0] + "…"


# --- rendering --------------------------------------------------------------------


class EmailRenderer:
    """The two Jinja2 environments of the email templates (HTML autoescaped, text not) and the stylesheet.

    Templates are looked up like the site's: the site's ``templates_dir``
    first (``email/email.html.j2`` there replaces the shipped one), then
    the shipped ones. Create one and reuse it: loading templates is the only
    file access of composing.
    """

    def __init__(self, site_templates: Path | None = None) -> None:
        loader = jinja2.FileSystemLoader([str(d) for d in render.template_dirs(site_templates)])
        common = {"loader": loader, "undefined": jinja2.StrictUndefined, "trim_blocks": True, "lstrip_blocks": True}
        # Plain HTML escaping, not the site's ``finalize``: this HTML never passes through
        # Markdown, so only HTML's own characters need escaping.
        self.html_env = jinja2.Environment(autoescape=True, **common)  # type: ignore[arg-type]
        self.text_env = jinja2.Environment(autoescape=False, keep_trailing_newline=True, **common)  # type: ignore[arg-type]
        for env in (self.html_env, self.text_env):
            env.globals.update(
                format_day=format_day,
                grades=grades,
                assessment=assessment,
                briefing_path=paths.briefing_path,
                entity_path=paths.entity_path,
                entity_slug=entity_slug,
                WEEKS_PATH=paths.WEEKS_INDEX,
            )
        self.html_env.filters["href"] = _href
        self.text_env.filters.update(wrap=wrap, keep=keep)
        self.css = loader.get_source(self.html_env, STYLESHEET)[0]

    def html(self, view: _View) -> str:
        page = self.html_env.get_template(HTML_TEMPLATE).render(v=view, url=view.url)
        inlined = css_inline.inline(
            page,
            extra_css=self.css,
            keep_at_rules=True,  # the media query for phones stays in <style>: it cannot be inlined
            minify_css=True,
            load_remote_stylesheets=False,
        )
        document = inlined if inlined.lower().startswith("<!doctype") else "<!DOCTYPE html>\n" + inlined
        return document.rstrip("\n") + "\n"

    def text(self, view: _View) -> str:
        refs = References()

        def cite(url: str) -> str:
            return refs.cite(url)

        def lede_text() -> str:
            return html_to_text(str(view.lede_html), refs)

        body = self.text_env.get_template(TEXT_TEMPLATE).render(v=view, url=view.url, cite=cite, lede_text=lede_text, WIDTH=WIDTH)
        body = _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in body.splitlines())).strip("\n")
        return body + "\n\nLinks\n\n" + refs.listing() + "\n"


def _href(url: str) -> Trusted:
    """A URL for an ``href``: percent-encoded where it must be (``escape_url``), then HTML-escaped for the attribute."""
    return Trusted(Trusted.escape(str(escape_url(url))))


@lru_cache(maxsize=1)
def _shipped_renderer() -> EmailRenderer:
    """The shipped templates, loaded once (like ``markup._converter``)."""
    return EmailRenderer()


def _renderer(renderer: EmailRenderer | None) -> EmailRenderer:
    return renderer if renderer is not None else _shipped_renderer()


def email_html(edition: Edition, settings: EmailSettings, url: UrlFor, *, renderer: EmailRenderer | None = None) -> str:
    """The HTML part: a whole document with inlined CSS and absolute links (also the preview page)."""
    return _renderer(renderer).html(_View(edition, settings, url))


def email_text(edition: Edition, settings: EmailSettings, url: UrlFor, *, renderer: EmailRenderer | None = None) -> str:
    """The plain-text part: 72 columns, links as ``[n]`` listed at the end."""
    return _renderer(renderer).text(_View(edition, settings, url))


def compose(
    edition: Edition,
    settings: EmailSettings,
    url: UrlFor,
    *,
    date: dt.datetime | None = None,
    message_id: str | None = None,
    renderer: EmailRenderer | None = None,
) -> EmailMessage:
    """The message: ``multipart/alternative`` with a text and an HTML part, both UTF-8.

    ``date`` and ``message_id`` default to now and a fresh ``make_msgid``:
    the only parts of a message that are not the same on every run.
    """
    view = _View(edition, settings, url)
    chosen = _renderer(renderer)
    message = EmailMessage(policy=SMTP)
    message["Subject"] = view.subject
    if settings.sender:
        message["From"] = settings.sender
    if settings.to:
        message["To"] = ", ".join(settings.to)
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
    message["Date"] = format_datetime(date or dt.datetime.now(dt.timezone.utc))
    message["Message-ID"] = message_id or make_msgid("briefing", domain=_domain(settings))
    # Quoted-printable for both parts: 7-bit clean with short lines, so no server or
    # relay has to re-encode them (an HTML part has lines far over SMTP's 998).
    text = chosen.text(view)
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    html = chosen.html(view)
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    # The boundary comes from the content, so the same briefing gives the same bytes (the email
    # package would pick a random one). "=_" never occurs in quoted-printable text, so it cannot
    # collide with a line of either part.
    digest = hashlib.sha256((text + html).encode("utf-8")).hexdigest()[:32]
    message.set_boundary(f"=_briefing_{digest}")
    message["Content-Language"] = settings.language  # after the parts: set_content drops Content-* headers
    return message


def _domain(settings: EmailSettings) -> str:
    """The Message-ID's right-hand side: the sender's domain, else the site's host (never the machine's name)."""
    if settings.sender:
        address = getaddresses([settings.sender])[0][1]
        if "@" in address:
            return address.rpartition("@")[2]
    return urlsplit(settings.site_url).hostname or "briefing.invalid"


def recipients(message: EmailMessage) -> list[str]:
    """The bare addresses of To, Cc and Bcc."""
    found: list[str] = []
    for header in ("To", "Cc", "Bcc"):
        for value in message.get_all(header, []):
            found += [a.addr_spec for a in getattr(value, "addresses", ()) if isinstance(a, Address)]
    return found


def message_bytes(message: EmailMessage) -> bytes:
    """The message as an ``.eml`` file holds it: CRLF line ends, as on the wire."""
    return message.as_bytes(policy=SMTP)


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    return part.get_content() if part is not None else ""  # type: ignore[union-attr]
