"""Editor-written Markdown (ledes, topic intros, note bodies) to safe HTML.

Notes carry text copied from pages nobody here controls, so raw HTML in them
is sanitized with nh3 (the Rust ``ammonia`` sanitizer): scripts, event
handlers, iframes and ``javascript:``/``data:`` links are removed, ordinary
formatting is kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

import markdown
import nh3

from generator.escape import Trusted

_EXTENSIONS = ["extra", "sane_lists"]

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "input",
        "label",
        "nav",
        "button",
    ]
)
_COMMON_ATTRIBUTES = {
    "class",
    "id",
    "title",
    "lang",
    "dir",
    "data-md-color-scheme",
    "tabindex",
    "role",
    "aria-label",
    "aria-hidden",
}
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": _COMMON_ATTRIBUTES,
    "a": {"href", "hreflang", "name"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan", "align", "style"},
    "th": {"colspan", "rowspan", "align", "style", "scope"},
    "ol": {"start", "type"},
    "time": {"datetime"},
    "details": {"open"},
    "input": {"type", "checked", "disabled", "name"},
    "label": {"for"},
    "code": {"data-lang"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def sanitize(html: str) -> str:
    """Remove anything from ``html`` that could run code or load from elsewhere unasked."""
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,  # nh3 would put it on every link; only external ones need it
        filter_style_properties={"text-align"},
    )
    return mark_external_links(clean)


# An <a> start tag with an http(s) href and no rel. Only for serialized HTML (Python-Markdown's
# or nh3's output), where attribute values are double-quoted.
_EXTERNAL_LINK = re.compile(r'<a(?=\s[^>]*\bhref="https?://)(?![^>]*\srel=)', re.IGNORECASE)


def mark_external_links(html: str) -> str:
    """Add ``rel="noopener noreferrer"`` to links that leave the site."""
    return _EXTERNAL_LINK.sub('<a rel="noopener noreferrer"', html)


def to_html(text: str, *, allow_raw_html: bool = False) -> Trusted:
    """Render a fragment of editor Markdown to HTML, sanitized unless raw HTML is allowed."""
    html = _converter().reset().convert(text)
    return Trusted(html if allow_raw_html else sanitize(html))


@lru_cache(maxsize=1)
def _converter() -> markdown.Markdown:
    """One converter, reset before each fragment: making one loads every extension anew (milliseconds)."""
    return markdown.Markdown(extensions=_EXTENSIONS, output_format="html")
