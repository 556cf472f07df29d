"""The one sanitiser of editors' HTML: note bodies, ledes, topic intros, editors' pages.

(Interim policy, to be replaced by the hardened one: scripts, event handlers,
iframes and ``javascript:``/``data:`` links are removed, ordinary formatting
is kept.)
"""

from __future__ import annotations

import re

import nh3

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


def clean_editor_html(html: str) -> str:
    """Remove anything from ``html`` that could run code or load from elsewhere unasked."""
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        filter_style_properties={"text-align"},
    )
    return _EXTERNAL_LINK.sub('<a rel="noopener noreferrer"', clean)


_EXTERNAL_LINK = re.compile(r'<a(?=\s[^>]*\bhref="https?://)(?![^>]*\srel=)', re.IGNORECASE)
