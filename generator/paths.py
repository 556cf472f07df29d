"""Every file-path and URL rule of the site (SPEC section 5), in one place.

Paths are POSIX paths relative to the docs dir (``weeks/2025-W37/chips.md``);
URLs are relative to the site root (``weeks/2025-W37/chips/``) or absolute
(``https://owner.github.io/repo/weeks/2025-W37/chips/``). The loader, the
renderer, the feeds, the email edition, ``briefing new`` and every engine
writer ask this module; none of them spells a path or a URL rule itself.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote, unquote, urlsplit

from generator.weeks import IsoWeek

# Folders of the docs dir.
NOTES_DIR = "notes"  # editors' notes, notes/<YYYY>/<YYYY-MM-DD>-<slug>.md
TOPICS_DIR = "topics"  # editors' topics, topics/<slug>.md
WEEKS_DIR = "weeks"  # editors' ledes (weeks/<YYYY>-W<ww>.md, weeks/<YYYY>-W<ww>/<topic>.md); generated briefings
ENTITIES_DIR = "entities"  # generated only

# Pages and files the generator makes.
HOME = "index.md"
WEEKS_INDEX = "weeks/index.md"
ENTITIES_INDEX = "entities/index.md"
TOPICS_INDEX = "topics/index.md"
SITE_FEED = "feed.xml"
STYLESHEET = "assets/briefing/briefing.css"
ASSETS_DIR = "assets/briefing"

# Names that MkDocs (and every engine reading mkdocs.yml) publishes as a folder's index.
# What MkDocs reads as pages (``mkdocs.utils.markdown_extensions``); the site's own are all ``.md``.
MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")
INDEX_NAMES = ("index", "README")
# Slugs that would put a generated page over another generated page: a topic "index"
# would be every week's digest (weeks/<week>/index.md), an entity "index" the entity list.
RESERVED_SLUGS = frozenset({"index", "readme"})

_NOTE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-")
# What a file or folder name may hold: letters and digits of any script, "-", "_" and ".".
# Anything else ("[", "(", "<", quotes, spaces, control characters) could be read as
# Markdown or HTML somewhere, or makes a URL nobody can type.
_SAFE_NAME = re.compile(r"^[^\W][\w.-]*$")


def digest_path(week: IsoWeek) -> str:
    return f"{WEEKS_DIR}/{week.label}/index.md"


def briefing_path(week: IsoWeek, topic: str) -> str:
    return f"{WEEKS_DIR}/{week.label}/{topic}.md"


def topic_path(slug: str) -> str:
    return f"{TOPICS_DIR}/{slug}.md"


def topic_feed_path(slug: str) -> str:
    """``feed-<slug>.xml``, in the site root beside ``feed.xml``.

    Not under ``topics/<slug>/``: Material's instant navigation fetches
    ``sitemap.xml`` from the folder of every ``<link rel="alternate">`` it finds
    (it takes them for other languages of the site), which in a topic's folder
    is a request for a page that does not exist.
    """
    return f"feed-{slug}.xml"


def entity_path(slug: str) -> str:
    return f"{ENTITIES_DIR}/{slug}.md"


def note_path(day_iso: str, slug: str) -> str:
    """Where ``briefing new`` puts a note: ``notes/2025/2025-09-11-<slug>.md``."""
    return f"{NOTES_DIR}/{day_iso[:4]}/{day_iso}-{slug}.md"


def lede_path(week: IsoWeek, topic: str | None = None) -> str:
    return f"{WEEKS_DIR}/{week.label}.md" if topic is None else f"{WEEKS_DIR}/{week.label}/{topic}.md"


def email_preview_path(week: IsoWeek, topic: str | None = None) -> str:
    """Where ``mkdocs serve`` shows a week's email (digest, or one topic's), beside its page."""
    return f"{WEEKS_DIR}/{week.label}/email.html" if topic is None else f"{WEEKS_DIR}/{week.label}/{topic}/email.html"


def note_date_prefix(path: str) -> str | None:
    """The ``YYYY-MM-DD`` a note's file name starts with, if it does."""
    match = _NOTE_NAME.match(posixpath.basename(path))
    return match[1] if match else None


def stem(path: str) -> str:
    return posixpath.basename(path).removesuffix(".md")


def unsafe_name(path: str) -> str | None:
    """The first part of ``path`` that is not a safe file or folder name, or None.

    Names come from the file system and are as untrusted as front matter: they
    end up in URLs, links and link texts of generated pages.
    """
    for part in path.split("/"):
        name = part.removesuffix(".md")
        if not _SAFE_NAME.match(name) or unicodedata.normalize("NFC", name) != name:
            return part
    return None


def url_key(path: str) -> str:
    """Two paths with the same key publish to one URL (case-insensitive file systems and hosts, a.md beside a/index.md)."""
    stem_ = path.removesuffix(".md")
    for name in INDEX_NAMES:
        stem_ = stem_.removesuffix("/" + name) if stem_ != name else ""
    return stem_.casefold()


@lru_cache(maxsize=65536)
def page_url(path: str, directory_urls: bool = True) -> str:
    """Where a page or file is served, relative to the site root.

    ``weeks/2025-W37/chips.md`` -> ``weeks/2025-W37/chips/``; ``index.md`` -> ``""``;
    ``weeks/2025-W37/index.md`` -> ``weeks/2025-W37/``; a path not ending in
    ``.md`` (a feed, a stylesheet) is served as it is. Without directory URLs
    (MkDocs' ``use_directory_urls: false``) pages end in ``.html``.
    """
    if not path.endswith(".md"):
        return path
    stem_ = path.removesuffix(".md")
    parent, name = posixpath.split(stem_)
    folder = parent + "/" if parent else ""
    if name in INDEX_NAMES:
        return folder if directory_urls else folder + "index.html"
    return f"{stem_}/" if directory_urls else f"{stem_}.html"


def output_file(path: str, directory_urls: bool = True) -> str:
    """The file an engine writes for a page or file: ``notes/2025/x.md`` -> ``notes/2025/x/index.html``."""
    url = page_url(path, directory_urls)
    return url + "index.html" if url == "" or url.endswith("/") else url


def document_path(path: str, directory_urls: bool = True) -> str:
    """Where ``briefing export`` writes a page: ``weeks/2025-W37/chips.md`` -> ``weeks/2025-W37/chips/index.md``.

    The same URL, from a file in the folder the URL names. Links in pages are
    relative to the page's URL; an engine that reads relative links in HTML as
    relative to the page's *file* (Zensical does) then reads them the same way.
    Without directory URLs a page's file and URL are in one folder already.
    """
    if not directory_urls or not path.endswith(".md"):
        return path
    stem_ = path.removesuffix(".md")
    return path if posixpath.basename(stem_) in INDEX_NAMES else f"{stem_}/index.md"


def _url_dir(url: str) -> str:
    """The folder a browser resolves relative links against, for a page at ``url``."""
    if not url or url.endswith("/"):
        return url
    return url.rsplit("/", 1)[0] + "/" if "/" in url else ""


@lru_cache(maxsize=65536)
def _relative(from_dir: str, to_url: str) -> str:
    base = [p for p in from_dir.split("/") if p]
    target = to_url.split("/")
    common = 0
    while common < len(base) and common < len(target) - 1 and base[common] == target[common]:
        common += 1
    return "/".join([".."] * (len(base) - common) + target[common:]) or "./"


def href(from_page: str, to_path: str, directory_urls: bool = True, fragment: str = "") -> str:
    """A link from the page at ``from_page`` to the page or file ``to_path``, both docs paths.

    Relative, so the site works at a domain root and under a path prefix alike;
    percent-encoded, so it is safe in an HTML attribute and a Markdown link.
    """
    rel = _relative(_url_dir(page_url(from_page, directory_urls)), page_url(to_path, directory_urls))
    return quote(rel, safe="/.-_~") + (f"#{quote(fragment, safe='-_.~')}" if fragment else "")


def absolute_url(site_url: str, path: str, directory_urls: bool = True) -> str:
    """The absolute URL of a page or file, from ``site_url`` (which may carry a path prefix)."""
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base + quote(page_url(path, directory_urls), safe="/.-_~")


def resolve_link(from_source: str, target: str) -> tuple[str, str] | None:
    """An editor's relative link, as written in the file ``from_source``, to (docs path, fragment).

    ``../notes/2025/x.md#key-points`` written in ``weeks/2025-W37.md`` ->
    (``notes/2025/x.md``, ``key-points``). None for links that are not
    relative paths (``https://…``, ``mailto:``, ``#anchor``, ``/absolute``), or
    that would leave the docs dir.
    """
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path or parts.path.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(from_source), unquote(parts.path)))
    if joined == ".." or joined.startswith("../"):
        return None
    return joined, parts.fragment


def is_generated_area(path: str) -> bool:
    """Paths where editors' Markdown would be replaced by generated pages (ledes aside)."""
    return path.startswith(ENTITIES_DIR + "/")
