"""The Atom feeds, read by a real feed parser (feedparser), and how pages advertise them."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from conftest import MKDOCS_YML, SITE_URL, SiteFactory, build_site, core_config, mkdocs_build, note, topics, write_site

from generator import feeds, head, paths
from generator.site import Site, StaticFile

PREFIX = "https://owner.github.io/repo/"
YML = MKDOCS_YML.replace(SITE_URL, PREFIX)  # published under a path prefix, as a GitHub project page
HOSTILE = "<img src=x onerror=alert(1)> *x* & y"


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


# Three weeks of chips, one of controls; W37's latest note is on Wednesday 2025-09-10.
NOTES = {
    **topics("chips", "controls"),
    "briefings/notes/2025/2025-09-01-w36.md": note("Week 36 item", "2025-09-01"),
    "briefings/notes/2025/2025-09-08-w37-monday.md": note("Monday item", "2025-09-08", "[chips, controls]"),
    "briefings/notes/2025/2025-09-10-w37-wednesday.md": note("Wednesday item", "2025-09-10", extra="importance: 5\n"),
    "briefings/notes/2025/2025-09-15-w38.md": note(_quoted(HOSTILE), "2025-09-15"),
}


def _site(make_site: SiteFactory, files: dict[str, str]) -> Site:
    site = build_site(make_site({"mkdocs.yml": YML, **files}))
    assert not site.problems, site.problems
    return site


def _feeds(site: Site) -> dict[str, StaticFile]:
    """The site's feeds by path, in the order the site lists them."""
    return {f.path: f for f in site.files if f.path.endswith(".xml")}


def _parse(feed: StaticFile) -> feedparser.FeedParserDict:
    parsed = feedparser.parse(feed.data)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed


def _site_feed(make_site: SiteFactory, files: dict[str, str] = NOTES) -> feedparser.FeedParserDict:
    return _parse(_feeds(_site(make_site, files))[paths.SITE_FEED])


def test_site_feed_has_one_entry_per_week_newest_first(make_site: SiteFactory) -> None:
    parsed = _site_feed(make_site)
    assert parsed.feed.title == "Test briefings: weekly digests"
    assert parsed.feed.id == PREFIX
    assert {link.rel: link.href for link in parsed.feed.links} == {"alternate": PREFIX, "self": PREFIX + "feed.xml"}
    links = [entry.link for entry in parsed.entries]
    assert links == [PREFIX + "weeks/2025-W38/", PREFIX + "weeks/2025-W37/", PREFIX + "weeks/2025-W36/"]
    assert [entry.id for entry in parsed.entries] == links
    assert parsed.entries[1].title == "Week 37, 2025: digest (8–14 Sep 2025)"


def test_entry_dates_come_from_the_notes(make_site: SiteFactory) -> None:
    parsed = _site_feed(make_site)
    week37 = parsed.entries[1]
    assert week37.updated == week37.published == "2025-09-10T00:00:00+00:00"  # the week's latest note, not today
    assert parsed.feed.updated == "2025-09-15T00:00:00+00:00"  # the newest entry


def test_topic_feed_lists_only_that_topics_weeks(make_site: SiteFactory) -> None:
    by_path = _feeds(_site(make_site, NOTES))
    assert list(by_path) == ["feed.xml", "feed-chips.xml", "feed-controls.xml"]
    assert all(f.generated for f in by_path.values())
    chips = _parse(by_path["feed-chips.xml"])
    assert [e.link for e in chips.entries] == [PREFIX + f"weeks/2025-W{w}/chips/" for w in (38, 37, 36)]
    assert chips.feed.id == PREFIX + "topics/chips/"
    controls = _parse(by_path["feed-controls.xml"])
    assert [e.link for e in controls.entries] == [PREFIX + "weeks/2025-W37/controls/"]
    assert controls.entries[0].title == "Controls: week 37, 2025 (8–14 Sep 2025)"
    assert controls.entries[0].updated == "2025-09-08T00:00:00+00:00"
    summary = chips.entries[1].summary
    assert summary.index("Wednesday item") < summary.index("Monday item")  # the briefing's order: importance first


def test_entry_links_to_notes_and_sources_are_absolute(make_site: SiteFactory) -> None:
    entry = _site_feed(make_site).entries[1]
    content = entry.content[0].value
    assert f'href="{PREFIX}weeks/2025-W37/chips/"' in content
    assert f'href="{PREFIX}notes/2025/2025-09-10-w37-wednesday/"' in content
    assert 'href="https://example.org/a"' in content
    assert 'href="../' not in content and 'href="weeks/' not in content  # no link relative to a page


def test_digest_entry_prints_a_story_in_two_topics_once(make_site: SiteFactory) -> None:
    content = _site_feed(make_site).entries[1].content[0].value
    assert content.count(">Monday item</a>") == 1  # in chips and controls: under chips only
    assert content.index(">Chips<") < content.index(">Monday item</a>")


def test_hostile_titles_stay_literal_text(make_site: SiteFactory) -> None:
    files = {**NOTES, "briefings/topics/controls.md": f"---\ntitle: {_quoted(HOSTILE)}\ndescription: Hostile.\n---\nIntro.\n"}
    by_path = _feeds(_site(make_site, files))
    controls = _parse(by_path["feed-controls.xml"])
    assert controls.entries[0].title == f"{HOSTILE}: week 37, 2025 (8–14 Sep 2025)"
    assert controls.feed.title == f"{HOSTILE}: weekly briefings"
    week38 = _parse(by_path["feed.xml"]).entries[0]
    assert HOSTILE in week38.summary  # a text summary: shown as written
    content = week38.content[0].value  # HTML: the title is escaped text in it, never an element
    assert "<img" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content.replace("&#60;", "&lt;").replace("&#62;", "&gt;")
    assert b"<img" not in by_path["feed.xml"].data  # not even unescaped in the XML


def test_feeds_are_byte_identical_across_builds(make_site: SiteFactory) -> None:
    first = _feeds(_site(make_site, NOTES))
    second = _feeds(_site(make_site, NOTES))
    assert [f.data for f in first.values()] == [f.data for f in second.values()]
    ids = [e.id for e in _parse(first["feed.xml"]).entries]
    assert ids == [e.id for e in _parse(second["feed.xml"]).entries]


def test_limit_keeps_the_latest_weeks(make_site: SiteFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(feeds, "MAX_ENTRIES", 2)
    parsed = _site_feed(make_site)
    assert [e.link for e in parsed.entries] == [PREFIX + "weeks/2025-W38/", PREFIX + "weeks/2025-W37/"]


def test_a_site_without_notes_has_valid_empty_feeds(make_site: SiteFactory) -> None:
    parsed = _site_feed(make_site, topics("chips"))
    assert parsed.entries == []
    assert parsed.feed.updated == "1970-01-01T00:00:00+00:00"


def test_a_site_without_site_url_has_no_feeds_and_says_why(make_site: SiteFactory) -> None:
    site = build_site(make_site({"mkdocs.yml": MKDOCS_YML.replace(f"site_url: {SITE_URL}\n", ""), **NOTES}))
    assert _feeds(site) == {}
    assert site.head == ""
    assert [(p.path, p.field) for p in site.problems] == [("../mkdocs.yml", "site_url")]
    assert "no feeds" in site.problems[0].message


def test_site_url_without_trailing_slash_and_plain_file_urls() -> None:
    base = "https://example.org/briefings"
    assert paths.absolute_url(base, "weeks/2025-W37/chips.md", False) == base + "/weeks/2025-W37/chips.html"
    assert paths.absolute_url(base, "weeks/2025-W37/index.md", False) == base + "/weeks/2025-W37/index.html"
    assert paths.absolute_url(base, "index.md", False) == base + "/index.html"
    assert paths.absolute_url(PREFIX, "index.md") == PREFIX
    assert paths.absolute_url(PREFIX, paths.topic_feed_path("chips")) == PREFIX + "feed-chips.xml"


def test_midnight_is_utc() -> None:
    assert feeds._midnight(dt.date(2025, 9, 10)).isoformat() == "2025-09-10T00:00:00+00:00"


# ---- <head>: feed discovery and Open Graph ------------------------------------------------


class Head(HTMLParser):
    """The <link rel="alternate"> and <meta property="og:..."> tags of a page, attribute values unescaped."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.alternates: list[dict[str, str | None]] = []
        self.og: dict[str, str | None] = {}
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "link" and values.get("rel") == "alternate":
            self.alternates.append(values)
        if tag == "meta" and str(values.get("property", "")).startswith("og:"):
            self.og[str(values["property"])] = values.get("content")


def test_head_html_escapes_every_value() -> None:
    link = head.FeedLink('A "feed" <b>', "https://example.org/feed.xml?a=1&b=2")
    snippet = head.feed_links([link, None]) + head.open_graph(
        "notes/2025/x.md", HOSTILE, 'He said "<script>"', core_config(site_name="Site & co", site_url="https://example.org/")
    )
    assert "<img" not in snippet and "<script" not in snippet and "<b>" not in snippet
    parsed = Head(snippet)
    assert parsed.alternates == [
        {"rel": "alternate", "type": head.ATOM, "title": 'A "feed" <b>', "href": "https://example.org/feed.xml?a=1&b=2"}
    ]
    assert parsed.og == {
        "og:type": "article",
        "og:site_name": "Site & co",
        "og:title": HOSTILE,
        "og:description": 'He said "<script>"',
        "og:url": "https://example.org/notes/2025/x/",
    }


def test_long_descriptions_are_cut_and_no_og_url_without_site_url() -> None:
    snippet = head.open_graph("index.md", "t", "word " * 200, core_config(site_name="s", site_url=None), home=True)
    og = Head(snippet).og
    description = og["og:description"]
    assert description is not None and len(description) <= head.MAX_DESCRIPTION and description.endswith("…")
    assert og["og:type"] == "website"
    assert "og:url" not in og  # no site_url, no og:url


def test_every_page_carries_its_feed_links_and_open_graph(make_site: SiteFactory) -> None:
    site = _site(make_site, NOTES)
    assert _feed_hrefs(Head(site.head)) == [PREFIX + "feed.xml"]  # pages the generator did not make: the 404 page
    chips = site.page("topics/chips.md")
    briefing = site.page("weeks/2025-W37/controls.md")
    note_page = site.page("notes/2025/2025-09-15-w38.md")
    assert chips is not None and briefing is not None and note_page is not None
    assert _feed_hrefs(Head(chips.head), "topics/chips/") == [PREFIX + "feed.xml", PREFIX + "feed-chips.xml"]
    assert _feed_hrefs(Head(briefing.head), "weeks/2025-W37/controls/") == [PREFIX + "feed.xml", PREFIX + "feed-controls.xml"]
    assert _feed_hrefs(Head(note_page.head), "notes/2025/2025-09-15-w38/") == [PREFIX + "feed.xml"]
    assert all(not href.startswith("http") for href in (a["href"] or "" for a in Head(chips.head).alternates))
    assert Head(note_page.head).og["og:title"] == HOSTILE
    assert note_page.meta()["bf_head"] == note_page.head


# ---- the real build ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``mkdocs build --strict`` of a temp site published under a path prefix."""
    root = write_site(tmp_path_factory.mktemp("feeds"), {"mkdocs.yml": YML, **NOTES})
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    return root


def _head(site: Path, page: str) -> Head:
    return Head((site / page).read_text(encoding="utf-8"))


def _feed_hrefs(parsed: Head, page: str = "") -> list[str | None]:
    """The feeds a page advertises, as absolute URLs (pages link them relatively: ``page`` is where they are resolved)."""
    return [urljoin(PREFIX + page, a["href"] or "") for a in parsed.alternates if a.get("type") == head.ATOM]


@pytest.mark.slow
def test_build_writes_feeds_that_parse(built: Path) -> None:
    site = built / "site"
    for path in ("feed.xml", "feed-chips.xml", "feed-controls.xml"):
        parsed = feedparser.parse((site / path).read_bytes())
        assert parsed.bozo == 0, (path, parsed.get("bozo_exception"))
        assert parsed.entries and all(e.link.startswith(PREFIX) for e in parsed.entries)
        for entry in parsed.entries:  # every entry links to a page the build wrote
            page = site / entry.link.removeprefix(PREFIX) / "index.html"
            assert page.is_file(), entry.link


@pytest.mark.slow
def test_every_page_advertises_the_site_feed_and_topic_pages_their_own(built: Path) -> None:
    site = built / "site"
    site_feed = PREFIX + "feed.xml"
    chips_feed = PREFIX + "feed-chips.xml"
    assert _feed_hrefs(_head(site, "index.html"), "") == [site_feed]
    assert _feed_hrefs(_head(site, "notes/2025/2025-09-01-w36/index.html"), "notes/2025/2025-09-01-w36/") == [site_feed]
    assert _feed_hrefs(_head(site, "weeks/2025-W37/index.html"), "weeks/2025-W37/") == [site_feed]
    assert _feed_hrefs(_head(site, "topics/chips/index.html"), "topics/chips/") == [site_feed, chips_feed]
    assert _feed_hrefs(_head(site, "weeks/2025-W37/chips/index.html"), "weeks/2025-W37/chips/") == [site_feed, chips_feed]
    assert _feed_hrefs(_head(site, "weeks/2025-W37/controls/index.html"), "weeks/2025-W37/controls/") == [
        site_feed,
        PREFIX + "feed-controls.xml",
    ]
    titles = [a["title"] for a in _head(site, "topics/chips/index.html").alternates]
    assert titles == ["Test briefings: weekly digests", "Chips: weekly briefings"]


@pytest.mark.slow
def test_pages_carry_open_graph_meta_from_the_briefing(built: Path) -> None:
    site = built / "site"
    note_page = (site / "notes/2025/2025-09-15-w38/index.html").read_text(encoding="utf-8")
    head_html = note_page[: note_page.index("</head>")]
    assert "<img" not in head_html  # the hostile title is escaped in <title>, description and og:*
    og = Head(note_page).og
    assert og["og:title"] == HOSTILE
    assert og["og:description"] == f"Summary of {_quoted(HOSTILE)}."  # the helper quotes the title for YAML
    assert og["og:url"] == PREFIX + "notes/2025/2025-09-15-w38/"
    assert og["og:type"] == "article" and og["og:site_name"] == "Test briefings"
    briefing = _head(site, "weeks/2025-W37/chips/index.html").og
    assert briefing["og:title"] == "Chips: week 37, 2025"
    assert briefing["og:description"] == "8–14 Sep 2025: Wednesday item"
    home = _head(site, "index.html").og
    assert home["og:type"] == "website" and home["og:title"] == "Test briefings" and home["og:url"] == PREFIX


@pytest.mark.slow
def test_two_builds_give_identical_feeds(built: Path) -> None:
    again = built / "again"
    result = mkdocs_build(built, "--strict", "--site-dir", str(again))
    assert result.returncode == 0, result.stderr
    for path in ("feed.xml", "feed-chips.xml", "feed-controls.xml"):
        assert (again / path).read_bytes() == (built / "site" / path).read_bytes(), path


@pytest.mark.slow
def test_without_site_url_no_feeds_and_one_warning(make_site: SiteFactory) -> None:
    root = make_site({"mkdocs.yml": MKDOCS_YML.replace(f"site_url: {SITE_URL}\n", ""), **NOTES})
    result = mkdocs_build(root)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("no site_url, so no feeds") == 1
    assert not (root / "site/feed.xml").exists()
    assert _feed_hrefs(_head(root / "site", "index.html")) == []
    assert mkdocs_build(root, "--strict").returncode != 0
