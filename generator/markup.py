"""Editor-written Markdown (ledes, topic intros, note bodies) to safe HTML.

Notes carry text copied from pages nobody here controls, so raw HTML in them
is sanitized with nh3 (the Rust ``ammonia`` sanitizer): scripts, event
handlers, iframes and ``javascript:``/``data:`` links are removed, ordinary
formatting is kept.
"""

from __future__ import annotations

import re

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
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        filter_style_properties={"text-align"},
    )


_EXTERNAL_LINK = re.compile(r'<a href="(https?://[^"]*)"(?![^>]*\brel=)')


def mark_external_links(html: str) -> str:
    """Add ``rel="noopener noreferrer"`` to links leaving the site in HTML the generator made.

    Only for Python-Markdown's own output, whose ``<a href="...">`` form is
    known; editor-written HTML goes through ``sanitize`` instead.
    """
    return _EXTERNAL_LINK.sub(r'<a href="\1" rel="noopener noreferrer"', html)


def to_html(text: str, *, allow_raw_html: bool = False) -> Trusted:
    """Render a fragment of editor Markdown to HTML, sanitized unless raw HTML is allowed."""
    html = markdown.markdown(text, extensions=_EXTENSIONS, output_format="html")
    return Trusted(html if allow_raw_html else sanitize(html))
