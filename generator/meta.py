"""The ``<head>`` additions of every page: feed discovery links and Open Graph meta.

Pure string building, so it is tested without MkDocs. Every value is plain
text (titles and summaries come from notes, that is from outside sources)
and is HTML-escaped exactly once, here.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from generator.feeds import FeedLink

_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"\s+")
MAX_DESCRIPTION = 300  # social cards show about this much; never echo a huge value in full


@dataclass(frozen=True)
class OpenGraph:
    """The Open Graph properties of one page (https://ogp.me), as plain text."""

    title: str
    description: str
    site_name: str
    url: str | None = None  # the page's canonical URL; None when the site has no site_url
    type: str = "article"  # "website" for the home page


def plain_text(value: str) -> str:
    """Text MkDocs already holds as HTML (a page title made from a heading) back to plain text."""
    return _SPACES.sub(" ", html.unescape(_TAG.sub("", value))).strip()


def _attr(value: str) -> str:
    return html.escape(_SPACES.sub(" ", value).strip(), quote=True)


def _cut(text: str, limit: int = MAX_DESCRIPTION) -> str:
    text = _SPACES.sub(" ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def head_html(feeds: Iterable[FeedLink], og: OpenGraph | None) -> str:
    """The ``<link rel="alternate">`` and ``<meta property="og:...">`` tags for one page."""
    lines = [f'<link rel="alternate" type="{_attr(f.type)}" title="{_attr(f.title)}" href="{_attr(f.href)}">' for f in feeds]
    if og is not None:
        properties = [
            ("og:type", og.type),
            ("og:site_name", og.site_name),
            ("og:title", og.title),
            ("og:description", _cut(og.description)),
            ("og:url", og.url),
        ]
        lines += [f'<meta property="{name}" content="{_attr(value)}">' for name, value in properties if value]
    return "".join(f"    {line}\n" for line in lines)


def insert_into_head(page_html: str, snippet: str) -> str:
    """Put ``snippet`` just before the page's ``</head>``; a page without one is left alone."""
    if not snippet:
        return page_html
    match = re.search(r"</head\s*>", page_html, re.IGNORECASE)
    if match is None:
        return page_html
    return page_html[: match.start()] + snippet + page_html[match.start() :]
