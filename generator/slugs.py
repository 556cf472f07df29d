"""Slugs for URLs: ``Kunlun P800`` -> ``kunlun-p800``, ``华为`` -> ``hua-wei``."""

from __future__ import annotations

from functools import lru_cache

from slugify import slugify


@lru_cache(maxsize=65536)
def entity_slug(name: str) -> str:
    return str(slugify(name, max_length=80, word_boundary=True))


def title_slug(title: str) -> str:
    """The slug part of a new note's file name, transliterated for non-Latin titles."""
    return str(slugify(title, max_length=60, word_boundary=True)) or "note"


def heading_slug(text: str) -> str:
    """A heading's id: ASCII letters, digits and hyphens only, so never one of the theme's ids (``__config``)."""
    slug = str(slugify(text))
    return slug if len(slug) <= 60 else slug[:61].rsplit("-", 1)[0]  # cut at a word (slugify's own cut drops words)
