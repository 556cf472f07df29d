"""Slugs for URLs: ``Kunlun P800`` -> ``kunlun-p800``, ``华为`` -> ``hua-wei``."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from slugify import slugify


@lru_cache(maxsize=65536)
def entity_slug(name: str) -> str:
    return str(slugify(name, max_length=80, word_boundary=True))


def title_slug(title: str) -> str:
    """The slug part of a new note's file name, transliterated for non-Latin titles."""
    return str(slugify(title, max_length=60, word_boundary=True)) or "note"


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=65536)
def heading_slug(text: str) -> str:
    """A heading's id: ASCII letters, digits and hyphens only, so never one of the theme's ids (``__config``).

    Accents are dropped (``é`` -> ``e``); other scripts give no letters, and the
    caller falls back to a generic id. (python-slugify would transliterate, but a
    page has thousands of headings and ids need no readable Chinese.)
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug if len(slug) <= 60 else slug[:61].rsplit("-", 1)[0]  # cut at a word
