"""Atom feeds of the weekly briefings: one for the whole site, one per topic.

Where they live (relative to the built site, next to the pages they follow):

- ``feed.xml``: one entry per weekly digest, newest first;
- ``feed-<slug>.xml`` (``paths.topic_feed_path``): one entry per week that has a briefing for that topic.

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

This module is pure: no engine, no disk. Feeds are files of the site (``generator.site.StaticFile``);
the writers publish them with the pages. Entry content is the same item markup as the pages
(``templates/feed_entry.html.j2`` with the items macro), with absolute links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial

from feedgen.feed import FeedGenerator

from generator import blocks, head, paths
from generator.assemble import Archive, Briefing, Digest, Item
from generator.render import FEED_ENTRY, Renderer
from generator.settings import SiteConfig
from generator.site import StaticFile

MAX_ENTRIES = 50
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
GENERATOR = "briefing-generator (python-feedgen)"


def build_feeds(archive: Archive, config: SiteConfig, renderer: Renderer, known: frozenset[str]) -> tuple[StaticFile, ...]:
    """The site feed, then one feed per topic in topic order; none without ``site_url`` (feeds need absolute links)."""
    if not config.site_url:
        return ()
    feeds = [StaticFile(paths.SITE_FEED, partial(site_feed, archive, config, renderer, known))]
    feeds += [
        StaticFile(paths.topic_feed_path(t.slug), partial(topic_feed, archive, t.slug, config, renderer, known))
        for t in archive.topics
    ]
    return tuple(feeds)


def _url(config: SiteConfig, path: str) -> str:
    assert config.site_url is not None
    return paths.absolute_url(config.site_url, path, config.directory_urls)


def site_feed(archive: Archive, config: SiteConfig, renderer: Renderer, known: frozenset[str]) -> bytes:
    link = head.site_feed(config)
    assert link is not None
    generator = _feed(link, _url(config, paths.HOME), config.site_description, config)
    for digest in archive.digests[:MAX_ENTRIES]:
        _add_entry(
            generator,
            _url(config, paths.digest_path(digest.week)),
            f"Week {digest.week.week}, {digest.week.year}: digest ({digest.week.range_label})",
            _digest_summary(digest),
            _entry_html(renderer, known, digest=digest),
            _midnight(max(note.date for note in digest.notes)),
        )
    return _serialize(generator)


def topic_feed(archive: Archive, slug: str, config: SiteConfig, renderer: Renderer, known: frozenset[str]) -> bytes:
    """One topic's feed, newest week first."""
    topic = next(t for t in archive.topics if t.slug == slug)
    link = head.topic_feed(slug, topic.title, config)
    assert link is not None
    generator = _feed(link, _url(config, paths.topic_path(slug)), topic.description, config)
    for briefing in archive.briefings.get(slug, ())[:MAX_ENTRIES]:
        _add_entry(
            generator,
            _url(config, paths.briefing_path(briefing.week, slug)),
            f"{topic.title}: week {briefing.week.week}, {briefing.week.year} ({briefing.week.range_label})",
            _briefing_summary(briefing),
            _entry_html(renderer, known, briefing=briefing),
            _midnight(max(note.date for note in briefing.notes)),
        )
    return _serialize(generator)


def _entry_html(
    renderer: Renderer, known: frozenset[str], *, digest: Digest | None = None, briefing: Briefing | None = None
) -> str:
    """A feed entry's content: the same items (the same macro) as the pages, with absolute links."""
    where = renderer.where(None, known)
    lede = digest.lede if digest else briefing.lede if briefing else None
    key = ("feed", digest, briefing, where)
    composed = renderer.remember(key, lambda: renderer.render(FEED_ENTRY, where, digest=digest, briefing=briefing, lede=lede))
    return blocks.to_html(composed, heading_offset=1)


def _feed(link: head.FeedLink, home: str, subtitle: str, config: SiteConfig) -> FeedGenerator:
    generator = FeedGenerator()
    generator.id(home)
    generator.title(link.title)
    generator.author({"name": config.site_name})
    generator.link(href=home, rel="alternate", type="text/html")
    generator.link(href=link.href, rel="self", type=head.ATOM)
    if subtitle:
        generator.subtitle(subtitle)
    generator.language(config.language)
    generator.generator(GENERATOR)  # no version: upgrading feedgen must not change the bytes
    return generator


def _add_entry(generator: FeedGenerator, url: str, title: str, summary: str, content: str, updated: dt.datetime) -> None:
    entry = generator.add_entry(order="append")  # the default, "prepend", would reverse our newest-first order
    entry.id(url)
    entry.link(href=url, rel="alternate", type="text/html")
    entry.title(title)  # Atom title without a type is text: lxml escapes it, readers show it literally
    entry.summary(summary, type="text")
    entry.content(content, type="html")  # finished, sanitised HTML, escaped again as XML text by lxml
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


def _leads(items: Iterable[Item]) -> str:
    """The titles of the first three items (already in briefing order), and how many more there are."""
    items = list(items)
    titles = "; ".join(item.lead.title for item in items[:3])
    more = f"; and {_count(len(items) - 3, 'more item')}" if len(items) > 3 else ""
    return f"{titles}{more}."


def _briefing_summary(briefing: Briefing) -> str:
    counts = f"{_count(len(briefing.items), 'item')} from {_count(briefing.source_count, 'source')}"
    return f"{briefing.week.range_label}: {counts}. {_leads(briefing.items)}"


def _digest_summary(digest: Digest) -> str:
    items = sorted((d.item for d in digest.items), key=Item.sort_key)
    topics = ", ".join(f"{s.topic.title} ({len(s.briefing.items)})" for s in digest.sections)
    return f"{digest.week.range_label}: {_count(len(items), 'item')} in {topics}. {_leads(items)}"
