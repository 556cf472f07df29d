"""Atom feeds of the weekly briefings: one for the whole site, one per topic.

Where they live (relative to the built site, next to the pages they follow):

- ``feed.xml``: one entry per weekly digest, newest first;
- ``topics/<slug>/feed.xml``: one entry per week that has a briefing for that topic.

Each feed keeps the latest ``MAX_ENTRIES`` weeks.

Why Atom (RFC 4287) rather than RSS 2.0: titles and summaries come from
outside sources, and RSS never says whether a ``<title>`` or
``<description>`` is plain text or HTML, so feed readers guess (feedparser
treats an RSS title that contains an entity or a closing tag as HTML). Atom
declares it: titles and summaries here are ``type="text"`` and read literally
everywhere, and only ``content`` is HTML, which this module escapes itself.
Atom also requires the two things a reader needs to follow a feed without
duplicates, a permanent ``id`` and an ``updated`` date per entry. Every
reader that takes RSS takes Atom.

The feeds depend only on the notes, never on the clock or on git, so two
builds of the same notes give byte-identical files:

- an entry's ``updated``/``published`` date is the date of the week's latest
  note, at 00:00 UTC; a feed's ``updated`` is that of its newest entry
  (1970-01-01 for a feed with no entry yet);
- an entry's ``id`` is the absolute URL of its page (``<site_url>weeks/2025-W37/``),
  so it stays the same across builds; changing ``site_url`` changes every id.

This module is pure: no MkDocs, no disk. The MkDocs plugin writes the bytes.
"""

from __future__ import annotations

import datetime as dt
import html
import posixpath
from dataclasses import dataclass

from feedgen.feed import FeedGenerator

from generator import markup, render
from generator.assemble import Briefing, Digest, Item, Site
from generator.escape import escape_url
from generator.model import Lede, Note, Topic
from generator.weeks import format_day

SITE_FEED = "feed.xml"
MEDIA_TYPE = "application/atom+xml"
MAX_ENTRIES = 50
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
GENERATOR = "briefing-generator (python-feedgen)"


def topic_feed_path(slug: str) -> str:
    return f"topics/{slug}/feed.xml"


@dataclass(frozen=True)
class FeedSettings:
    """What the feeds need to know about the site, taken from ``mkdocs.yml``."""

    site_url: str  # absolute, e.g. https://owner.github.io/repo/
    site_name: str
    description: str = ""
    language: str = "en"
    directory_urls: bool = True  # MkDocs' use_directory_urls
    limit: int = MAX_ENTRIES

    def url(self, path: str) -> str:
        """The absolute URL of a site file or page, given its path in the docs dir or the site."""
        base = self.site_url if self.site_url.endswith("/") else self.site_url + "/"
        return base + page_url(path, directory_urls=self.directory_urls)


def page_url(path: str, *, directory_urls: bool = True) -> str:
    """Where MkDocs serves a page, relative to the site root: ``weeks/2025-W37/chips.md`` -> ``weeks/2025-W37/chips/``.

    Paths not ending in ``.md`` (a feed, an asset) are returned as they are.
    """
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    name = posixpath.basename(stem)
    if name in ("index", "README"):
        parent = posixpath.dirname(stem)
        if directory_urls:
            return parent + "/" if parent else ""
        return (parent + "/" if parent else "") + "index.html"
    return stem + "/" if directory_urls else stem + ".html"


@dataclass(frozen=True)
class FeedLink:
    """A feed as pages advertise it: ``<link rel="alternate" type=... title=... href=...>``."""

    title: str
    href: str
    type: str = MEDIA_TYPE


@dataclass(frozen=True)
class Feed:
    path: str  # relative to the built site
    link: FeedLink
    data: bytes


def site_feed_link(settings: FeedSettings) -> FeedLink:
    return FeedLink(f"{settings.site_name}: weekly digests", settings.url(SITE_FEED))


def topic_feed_link(topic: Topic, settings: FeedSettings) -> FeedLink:
    return FeedLink(f"{topic.title}: weekly briefings", settings.url(topic_feed_path(topic.slug)))


def topic_pages(site: Site) -> dict[str, Topic]:
    """The pages that advertise a topic's feed: the topic page and its weekly briefings."""
    pages = {render.topic_path(topic.slug): topic for topic in site.topics}
    for topic in site.topics:
        for briefing in site.briefings.get(topic.slug, ()):
            pages[render.briefing_path(briefing.week, topic.slug)] = topic
    return pages


def build_feeds(site: Site, settings: FeedSettings) -> tuple[Feed, ...]:
    """The site feed, then one feed per topic in topic order."""
    feeds = [site_feed(site, settings)]
    feeds += [topic_feed(topic, site.briefings.get(topic.slug, ()), settings) for topic in site.topics]
    return tuple(feeds)


def site_feed(site: Site, settings: FeedSettings) -> Feed:
    link = site_feed_link(settings)
    generator = _feed(link, settings.url(render.HOME_PATH), settings.description, settings)
    for digest in site.digests[: settings.limit]:
        _add_entry(
            generator,
            settings.url(render.digest_path(digest.week)),
            f"Week {digest.week.week}, {digest.week.year}: digest ({digest.week.range_label})",
            _digest_summary(digest),
            _digest_content(digest, settings),
            _midnight(max(note.date for note in digest.notes)),
        )
    return Feed(SITE_FEED, link, _serialize(generator))


def topic_feed(topic: Topic, briefings: tuple[Briefing, ...], settings: FeedSettings) -> Feed:
    """One topic's feed; ``briefings`` newest first, as in ``Site.briefings``."""
    link = topic_feed_link(topic, settings)
    generator = _feed(link, settings.url(render.topic_path(topic.slug)), topic.description, settings)
    for briefing in briefings[: settings.limit]:
        _add_entry(
            generator,
            settings.url(render.briefing_path(briefing.week, topic.slug)),
            f"{topic.title}: week {briefing.week.week}, {briefing.week.year} ({briefing.week.range_label})",
            _briefing_summary(briefing),
            _lede_html(briefing.lede) + _items_html(briefing.items, settings),
            _midnight(max(note.date for note in briefing.notes)),
        )
    return Feed(topic_feed_path(topic.slug), link, _serialize(generator))


def _feed(link: FeedLink, home: str, subtitle: str, settings: FeedSettings) -> FeedGenerator:
    generator = FeedGenerator()
    generator.id(home)
    generator.title(link.title)
    generator.author({"name": settings.site_name})
    generator.link(href=home, rel="alternate", type="text/html")
    generator.link(href=link.href, rel="self", type=MEDIA_TYPE)
    if subtitle:
        generator.subtitle(subtitle)
    generator.language(settings.language)
    generator.generator(GENERATOR)  # no version: upgrading feedgen must not change the bytes
    return generator


def _add_entry(generator: FeedGenerator, url: str, title: str, summary: str, content: str, updated: dt.datetime) -> None:
    entry = generator.add_entry(order="append")  # the default, "prepend", would reverse our newest-first order
    entry.id(url)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.title(title)  # Atom title without a type is text: lxml escapes it, readers show it literally
    entry.summary(summary, type="text")
    entry.content(content, type="html")  # HTML escaped here, then escaped again as XML text by lxml
    entry.updated(updated)
    entry.published(updated)


def _serialize(generator: FeedGenerator) -> bytes:
    # feedgen stamps the feed with the current time; the newest entry's date keeps builds identical.
    generator.updated(max((entry.updated() for entry in generator.entry()), default=EPOCH))
    data: bytes = generator.atom_str(pretty=True, encoding="UTF-8", xml_declaration=True)
    return data


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _leads(items: list[Item]) -> str:
    """The titles of the first three items (already in briefing order), and how many more there are."""
    titles = "; ".join(item.lead.title for item in items[:3])
    more = f"; and {_count(len(items) - 3, 'more item')}" if len(items) > 3 else ""
    return f"{titles}{more}."


def _briefing_summary(briefing: Briefing) -> str:
    counts = f"{_count(len(briefing.items), 'item')} from {_count(briefing.source_count, 'source')}"
    return f"{briefing.week.range_label}: {counts}. {_leads(list(briefing.items))}"


def _digest_summary(digest: Digest) -> str:
    items = sorted((item for b in digest.briefings for item in b.items), key=Item.sort_key)
    unique = list({item.lead.path: item for item in reversed(items)}.values())[::-1]  # a note in two topics once
    topics = ", ".join(f"{b.topic.title} ({len(b.items)})" for b in digest.briefings)
    return f"{digest.week.range_label}: {_count(len(unique), 'item')} in {topics}. {_leads(unique)}"


def _digest_content(digest: Digest, settings: FeedSettings) -> str:
    parts = [_lede_html(digest.lede)]
    for briefing in digest.briefings:
        url = settings.url(render.briefing_path(briefing.week, briefing.topic.slug))
        parts.append(f'<h3><a href="{_attr(url)}">{html.escape(briefing.topic.title)}</a></h3>\n')
        parts.append(_items_html(briefing.items, settings))
    return "".join(parts)


def _lede_html(lede: Lede | None) -> str:
    """The editor's bottom line up front, sanitized like every editor Markdown fragment."""
    if lede is None or not lede.body:
        return ""
    return f"{markup.to_html(lede.body)}\n"


def _items_html(items: tuple[Item, ...], settings: FeedSettings) -> str:
    rows = "".join(f"<li>{_item_html(item, settings)}</li>\n" for item in items)
    return f"<ul>\n{rows}</ul>\n"


def _item_html(item: Item, settings: FeedSettings) -> str:
    lead = item.lead
    sources = ", ".join(_source_html(note) for note in item.notes)
    return (
        f'<a href="{_attr(settings.url(lead.path))}">{html.escape(lead.title)}</a> '
        f"({html.escape(format_day(lead.date))}; {sources})<br>\n{html.escape(lead.summary)}"
    )


def _source_html(note: Note) -> str:
    return f'<a href="{_attr(escape_url(note.source.url))}">{html.escape(note.source.name)}</a>'


def _attr(url: str) -> str:
    return html.escape(str(url), quote=True)
