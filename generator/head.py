"""What every page adds to its ``<head>``: feed discovery links and Open Graph tags.

Pure string building, so it is tested without an engine. Every value is
plain text (titles and summaries come from notes, that is from outside
sources) and is HTML-escaped exactly once, here. The theme's ``main.html``
(``generator/theme/``) places the result; every engine that renders Material
templates does the same.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from generator import paths
from generator.settings import SiteConfig

ATOM = "application/atom+xml"
_SPACES = re.compile(r"\s+")
MAX_DESCRIPTION = 300  # social cards show about this much; never echo a huge value in full


@dataclass(frozen=True)
class FeedLink:
    """A feed as pages advertise it: ``<link rel="alternate" type=... title=... href=...>``."""

    title: str
    href: str  # absolute in feeds; relative to the page in pages' <head>
    type: str = ATOM


def site_feed(config: SiteConfig) -> FeedLink | None:
    if not config.site_url:
        return None
    return FeedLink(f"{config.site_name}: weekly digests", paths.absolute_url(config.site_url, paths.SITE_FEED))


def topic_feed(slug: str, title: str, config: SiteConfig) -> FeedLink | None:
    if not config.site_url:
        return None
    return FeedLink(f"{title}: weekly briefings", paths.absolute_url(config.site_url, paths.topic_feed_path(slug)))


def relative(feed: FeedLink | None, page: str, config: SiteConfig) -> FeedLink | None:
    """The feed's link as a page advertises it: relative, so a site served elsewhere (``mkdocs serve``,
    a preview) never sends a reader's browser to the published host."""
    if feed is None or not config.site_url:
        return feed
    base = paths.absolute_url(config.site_url, "")
    path = feed.href.removeprefix(base)
    return FeedLink(feed.title, paths.href(page, path, config.directory_urls), feed.type)


def _attr(value: str) -> str:
    return html.escape(_SPACES.sub(" ", value).strip(), quote=True)


def _cut(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def feed_links(feeds: Iterable[FeedLink | None]) -> str:
    return "".join(
        f'<link rel="alternate" type="{_attr(f.type)}" title="{_attr(f.title)}" href="{_attr(f.href)}">\n' for f in feeds if f
    )


def open_graph(path: str, title: str, description: str, config: SiteConfig, *, home: bool = False) -> str:
    """The Open Graph properties of one page (https://ogp.me)."""
    url = paths.absolute_url(config.site_url, path, config.directory_urls) if config.site_url else None
    properties = [
        ("og:type", "website" if home else "article"),
        ("og:site_name", config.site_name),
        ("og:title", title),
        ("og:description", _cut(description)),
        ("og:url", url),
    ]
    return "".join(f'<meta property="{name}" content="{_attr(value)}">\n' for name, value in properties if value)


def site_wide(config: SiteConfig) -> str:
    """The site feed's link for pages the generator did not make (the 404 page, served at any depth): root-relative."""
    feed = site_feed(config)
    if feed is None or not config.site_url:
        return ""
    root = urlsplit(config.site_url).path or "/"
    return feed_links([FeedLink(feed.title, (root if root.endswith("/") else root + "/") + paths.SITE_FEED, feed.type)])
