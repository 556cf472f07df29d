"""Pages as the site engine last rendered them, for ``mkdocs serve`` to reuse while their inputs stay the same.

Saving one note changes a handful of pages: the note's own, its week's
briefings and digest, perhaps an entity timeline or the home page. A full
rebuild renders every page again, and profiling a 1,000-note site showed where
that goes: converting Markdown (about 45%), the theme's page template (25%),
the search index (12%). For a page whose every input is the same as in the
last build, all of that is known already. This cache keeps it, per page:

- a key: a fingerprint (hash) of everything the page was made from (see ``fingerprint``);
- what the engine made of it: the page as written, and its search entries,
  compressed (a built page is mostly the theme's navigation and header, so it
  packs to a fifth or less), and a little engine data (its table of contents).

It knows nothing of MkDocs (``generator.mkdocs.serve`` feeds it); keys and
values are plain data, and what is engine-specific (a table of contents)
is kept as it is in ``extra``. A cache is told when a build starts, with a
key for what every page depends on (the files, the navigation, the
configuration): when that changes, it forgets everything.
"""

from __future__ import annotations

import hashlib
import pickle
import zlib
from dataclasses import dataclass, field
from typing import Any


def fingerprint(*parts: object) -> bytes:
    """A short fingerprint of ``parts``: texts as they are, anything else by its ``repr`` (numbers, dates, containers)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(b"s" if isinstance(part, str) else b"r")
        data = (part if isinstance(part, str) else repr(part)).encode("utf-8", "surrogatepass")
        hasher.update(len(data).to_bytes(8, "little"))
        hasher.update(data)
    return hasher.digest()


def pack_text(text: str) -> bytes:
    """``text`` compressed (level 1: fast; built pages still shrink four to six times)."""
    return zlib.compress(text.encode("utf-8", "surrogatepass"), 1)


def unpack_text(data: bytes) -> str:
    return zlib.decompress(data).decode("utf-8", "surrogatepass")


def pack_data(value: object) -> bytes:
    return zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)


def unpack_data(data: bytes) -> Any:
    return pickle.loads(zlib.decompress(data))  # only ever what this process packed itself


@dataclass
class Entry:
    """One page as the engine last built it."""

    key: bytes  # fingerprint of the page's inputs
    output: bytes  # packed: the whole page, as written to disk
    search: bytes  # packed: the search index entries made from it
    extra: dict[str, Any] = field(default_factory=dict)  # engine data kept as is (table of contents, anchors)


class PageCache:
    """Entries by page, valid while the site-wide key of the build stays the same."""

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self._site_key = b""
        self._built: set[str] = set()
        self.reused = 0
        self.rendered = 0

    def start(self, site_key: bytes) -> None:
        """A build begins; everything is forgotten when what every page depends on changed."""
        if site_key != self._site_key:
            self._entries.clear()
            self._site_key = site_key
        self._built = set()
        self.reused = self.rendered = 0

    def get(self, page: str, key: bytes) -> Entry | None:
        """The entry of ``page`` if it was built from exactly these inputs (``key``)."""
        self._built.add(page)
        entry = self._entries.get(page)
        if entry is not None and entry.key == key:
            self.reused += 1
            return entry
        self.rendered += 1
        return None

    def put(self, page: str, entry: Entry) -> None:
        self._entries[page] = entry

    def finish(self) -> None:
        """The build is done: forget pages it did not build (deleted, renamed, no longer generated)."""
        for page in set(self._entries) - self._built:
            del self._entries[page]

    def clear(self) -> None:
        self._entries.clear()
        self._site_key = b""

    def __len__(self) -> int:
        return len(self._entries)
