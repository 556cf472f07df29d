"""Every path and URL rule (``generator.paths``), as properties: a link from any page to any page or file resolves.

A browser resolves a relative link against the page's own URL (``urllib.parse.urljoin``); so
``href(A, B)``, joined to A's URL, must give B's URL, for every kind of page and file, with and
without directory URLs, at a domain root and under a path prefix.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator import paths
from generator.weeks import IsoWeek

# File and folder names as editors write them: ASCII slugs mostly, letters of other scripts and dots too.
names = st.one_of(
    st.from_regex(r"[a-z0-9][a-z0-9-]{0,12}", fullmatch=True),
    st.from_regex(r"[a-zé华ü][a-z0-9华é._-]{0,8}", fullmatch=True),
).filter(lambda name: paths.unsafe_name(name) is None and name.casefold() not in ("index", "readme"))
slugs = st.from_regex(r"[a-z0-9]+(-[a-z0-9]+){0,2}", fullmatch=True).filter(lambda s: s not in paths.RESERVED_SLUGS)
weeks = st.builds(IsoWeek.of, st.dates())
years = st.integers(2000, 2099).map(str)

# Every kind of page the site publishes, and the files beside them, as docs paths.
PAGE_KINDS = {
    "home": st.just(paths.HOME),
    "editor-page": st.one_of(names.map(lambda n: f"{n}.md"), st.tuples(names, names).map(lambda p: f"{p[0]}/{p[1]}.md")),
    "editor-index": st.tuples(names, st.sampled_from(paths.INDEX_NAMES)).map(lambda p: f"{p[0]}/{p[1]}.md"),
    "note": st.tuples(years, names).map(lambda p: f"{paths.NOTES_DIR}/{p[0]}/{p[0]}-01-02-{p[1]}.md"),
    "digest": weeks.map(paths.digest_path),
    "briefing": st.tuples(weeks, slugs).map(lambda p: paths.briefing_path(*p)),
    "topic": slugs.map(paths.topic_path),
    "entity": slugs.map(paths.entity_path),
    "entities": st.just(paths.ENTITIES_INDEX),
    "weeks": st.just(paths.WEEKS_INDEX),
}
FILE_KINDS = {
    "site-feed": st.just(paths.SITE_FEED),
    "topic-feed": slugs.map(paths.topic_feed_path),
    "stylesheet": st.just(paths.STYLESHEET),
    "image": st.tuples(names, st.sampled_from(["png", "svg", "pdf"])).map(lambda p: f"images/{p[0]}.{p[1]}"),
}
BASES = ["https://example.org/", "https://owner.github.io/repo/"]


def _url(base: str, path: str, directory_urls: bool) -> str:
    return base + paths.page_url(path, directory_urls)


def _resolve(base: str, from_page: str, link: str, directory_urls: bool) -> str:
    """What a browser opens for ``link`` on the page ``from_page``, percent-decoded for comparison."""
    return unquote(urljoin(_url(base, from_page, directory_urls), link))


@pytest.mark.parametrize("from_kind", sorted(PAGE_KINDS))
@pytest.mark.parametrize("to_kind", sorted(PAGE_KINDS | FILE_KINDS))
@settings(max_examples=15, deadline=None)
@given(data=st.data(), directory_urls=st.booleans(), base=st.sampled_from(BASES))
def test_href_resolves_to_the_target_url(
    from_kind: str, to_kind: str, data: st.DataObject, directory_urls: bool, base: str
) -> None:
    source = data.draw(PAGE_KINDS[from_kind], label="from")
    target = data.draw((PAGE_KINDS | FILE_KINDS)[to_kind], label="to")
    link = paths.href(source, target, directory_urls)
    assert _resolve(base, source, link, directory_urls) == _url(base, target, directory_urls)
    # Relative, so the site works at a domain root and under a prefix alike; no scheme, no host.
    parts = urlsplit(link)
    assert not parts.scheme and not parts.netloc and not link.startswith("/")
    # Safe in an HTML attribute and a Markdown link as it is.
    assert not set(link) & set(" \"<>()[]\\`'") and link.isascii()


@settings(max_examples=200, deadline=None)
@given(
    source=st.one_of(*PAGE_KINDS.values()),
    target=st.one_of(*PAGE_KINDS.values()),
    fragment=st.from_regex(r"[a-z0-9][a-z0-9-]{0,20}", fullmatch=True),
    directory_urls=st.booleans(),
)
def test_href_keeps_the_fragment(source: str, target: str, fragment: str, directory_urls: bool) -> None:
    link = paths.href(source, target, directory_urls, fragment)
    resolved = _resolve(BASES[1], source, link, directory_urls)
    assert resolved == _url(BASES[1], target, directory_urls) + "#" + fragment


@settings(max_examples=300, deadline=None)
@given(page=st.one_of(*PAGE_KINDS.values()))
def test_page_url_follows_mkdocs_rules(page: str) -> None:
    stem, name = page.removesuffix(".md"), posixpath.basename(page).removesuffix(".md")
    folder = posixpath.dirname(page)
    with_dirs, without = paths.page_url(page, True), paths.page_url(page, False)
    if name in paths.INDEX_NAMES:  # index.md and README.md publish as their folder
        assert with_dirs == (f"{folder}/" if folder else "")
        assert without == (f"{folder}/" if folder else "") + "index.html"
    else:
        assert with_dirs == f"{stem}/"
        assert without == f"{stem}.html"
    assert not with_dirs.startswith("/") and not without.startswith("/")
    # Two paths with the same key publish at one URL: the key is the directory URL, case aside.
    assert paths.url_key(page) == with_dirs.removesuffix("/").casefold()


@settings(max_examples=100, deadline=None)
@given(file=st.one_of(*FILE_KINDS.values()), directory_urls=st.booleans())
def test_files_are_served_where_they_are(file: str, directory_urls: bool) -> None:
    assert paths.page_url(file, directory_urls) == file


@settings(max_examples=200, deadline=None)
@given(a=st.one_of(*PAGE_KINDS.values()), b=st.one_of(*PAGE_KINDS.values()))
def test_different_keys_never_share_a_url(a: str, b: str) -> None:
    assume(paths.url_key(a) != paths.url_key(b))
    for directory_urls in (True, False):
        assert paths.page_url(a, directory_urls) != paths.page_url(b, directory_urls)


@pytest.mark.parametrize(
    ("path", "directory_urls", "url"),
    [
        ("index.md", True, ""),
        ("index.md", False, "index.html"),
        ("README.md", True, ""),
        ("weeks/2025-W37/index.md", True, "weeks/2025-W37/"),
        ("weeks/2025-W37/chips.md", True, "weeks/2025-W37/chips/"),
        ("weeks/2025-W37/chips.md", False, "weeks/2025-W37/chips.html"),
        ("guide/README.md", False, "guide/index.html"),
        ("feed-chips.xml", True, "feed-chips.xml"),
    ],
)
def test_page_url_examples(path: str, directory_urls: bool, url: str) -> None:
    assert paths.page_url(path, directory_urls) == url


@pytest.mark.parametrize(
    ("source", "target", "resolved"),
    [
        ("weeks/2025-W37.md", "../notes/2025/x.md#key-points", ("notes/2025/x.md", "key-points")),
        ("notes/2025/a.md", "b.md", ("notes/2025/b.md", "")),
        ("notes/2025/a.md", "../../index.md", ("index.md", "")),
        ("notes/2025/a.md", "../../../outside.md", None),  # would leave the docs dir
        ("index.md", "https://example.org/x.md", None),
        ("index.md", "/absolute.md", None),
        ("index.md", "mailto:a@example.org", None),
        ("index.md", "#anchor", None),
    ],
)
def test_resolve_link(source: str, target: str, resolved: tuple[str, str] | None) -> None:
    assert paths.resolve_link(source, target) == resolved
