"""Escaping for values placed into generated Markdown.

Front-matter values come from outside sources. Rather than backslash-escaping
for one Markdown dialect (every extension adds syntax: ``==mark==``,
``:emoji:``, ``{++critic++}``, tables, magic links ...), punctuation that any
Markdown or HTML processor might read as syntax becomes a numeric character
reference. Python-Markdown passes references through untouched and browsers
show them as the character, so the value reads literally everywhere.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import quote

from markupsafe import Markup

# Punctuation that is syntax somewhere in Markdown, its common extensions or HTML.
_ALWAYS = set('\\`*_{}[]()#!|<>&"~^=:$@')
# Syntax only at the start of a line: list markers ("- ", "+ ") and ordered lists ("1. ", "2) ").
_LEADING = re.compile(r"^(?:[-+]|\d+[.)])")
_SPACES = re.compile(r"\s+")
_TABLE = str.maketrans({c: f"&#{ord(c)};" for c in _ALWAYS})


class Trusted(Markup):
    """Text the generator made itself (links, sanitized HTML, SVG): placed as it is."""

    __slots__ = ()


def escape_text(value: object) -> str:
    """Make any value literal text in Markdown and HTML (including attribute values)."""
    if isinstance(value, Markup):  # Trusted, or the output of a template macro
        return str(value)
    if value is None:
        return ""
    text = _SPACES.sub(" ", str(value))  # no newlines: a value can never start a block
    escaped = text.translate(_TABLE)
    if _LEADING.match(escaped):
        escaped = f"&#{ord(escaped[0])};" + escaped[1:]
    return escaped


def escape_url(url: str) -> Trusted:
    """An http(s) URL made safe as a Markdown link destination or an HTML attribute.

    The scheme was checked when the note was loaded; here, characters that
    would end a link destination or an attribute are percent-encoded.
    """
    return Trusted(quote(url, safe="/?#[]@!$&'*+,;=:%~-._"))


def finalize(value: object) -> Markup:
    """Jinja2 ``finalize``: every ``{{ value }}`` in a template goes through here.

    With autoescape on, what comes back as ``Markup`` is placed as it is; so
    plain values are escaped here for Markdown, and macro output, which is
    already ``Markup``, is not escaped twice.
    """
    if type(value) is str:  # most values; the same names and titles recur on many pages
        return _finalize_text(value)
    return Markup(escape_text(value))


@lru_cache(maxsize=16384)
def _finalize_text(value: str) -> Markup:
    return Markup(escape_text(value))
