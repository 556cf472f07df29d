"""The shipped site as readers see it: built with ``mkdocs build --strict``, served on 127.0.0.1, driven in Chromium.

One build, one server and one browser serve the whole module; each test gets
a fresh browser context. Requests leaving 127.0.0.1 (Material's Google Fonts)
are blocked, so the tests never touch the network and screenshots look the
same everywhere. Screenshots land in ``artifacts/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from browser_support import (
    REPO,
    SCREENSHOTS,
    describe,
    screenshot,
    serious_violations,
    serve,
)
from conftest import site_config
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from generator.assemble import Archive
from generator.build import build
from generator.schema import RELIABILITY_MEANING

pytestmark = pytest.mark.browser

# Pages of the shipped site the tests look at. The briefing has key items of
# two importances and several sources, some not in English.
BRIEFING = "weeks/2025-W38/ai-chip-self-sufficiency/"
DIGEST = "weeks/2025-W37/"
TOPIC = "topics/ai-chip-self-sufficiency/"
ENTITY = "entities/alibaba/"
NOTE = "notes/2025/2025-09-12-alibaba-baidu-gate-fr/"
PAGES = {"home": "", "digest": DIGEST, "briefing": BRIEFING, "topic": TOPIC, "entity": ENTITY, "note": NOTE}
# Every kind of page a reader meets, for the checks that hold on all of them.
EVERY_KIND = {
    **PAGES,
    "weeks": "weeks/",
    "topics": "topics/",
    "entities": "entities/",
    "guide": "guide/",
    "not-found": "no/such/page/",
}

DAY = re.compile(r"^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$")
WEEK_RANGE = re.compile(r"^\d{1,2}( [A-Z][a-z]{2}( \d{4})?)?\s?–\s?\d{1,2} [A-Z][a-z]{2} \d{4}$")
WEEK_LABEL = re.compile(r"\d{4}-W\d{2}")
VIEWPORT = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}

NewContext = Callable[..., BrowserContext]


# --- fixtures -----------------------------------------------------------------


@pytest.fixture(scope="session")
def shipped() -> Archive:
    """The shipped site as the core assembles it, for what the pages should show."""
    return build(site_config(REPO)).archive


@pytest.fixture(scope="session")
def site_url(chromium: None, shipped_site: Path) -> Iterator[str]:
    """The shipped site, built once with --strict (conftest's ``shipped_site``) and served on 127.0.0.1."""
    with serve(shipped_site) as url:
        yield url


@pytest.fixture
def new_context(browser: Browser, site_url: str) -> Iterator[NewContext]:
    """Make browser contexts that only reach the local site; all are closed after the test."""
    contexts: list[BrowserContext] = []
    local = re.escape(site_url)

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(**{"viewport": VIEWPORT, "base_url": site_url, **options})
        context.set_default_timeout(15_000)
        context.route(re.compile(f"^(?!{local})"), lambda route: route.abort())
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: NewContext) -> Page:
    return new_context(color_scheme="light").new_page()


# --- helpers --------------------------------------------------------------------


def path_of(url: str) -> str:
    """``http://127.0.0.1:8000/weeks/2025-W38/?h=x#y`` -> ``weeks/2025-W38/``."""
    return urlsplit(url).path.lstrip("/")


def h1(page: Page) -> str:
    return page.locator("article h1").first.inner_text().removesuffix("¶").strip()


def article(page: Page) -> Any:
    return page.locator("article.md-content__inner")


def items(page: Page) -> list[dict[str, Any]]:
    """The briefing items on the page: each h3 (the title, linked to the note), and the lead's source line under it."""
    return page.eval_on_selector_all(
        "article h3",
        """headings => headings.map(h => {
            const item = h.nextElementSibling.querySelector('.bf-item');
            const q = sel => item.querySelector(sel);
            const link = h.querySelector('a:not(.headerlink)');
            return {
                title: link.textContent,
                href: link.getAttribute('href'),
                date: q('.bf-meta time')?.textContent,
                datetime: q('.bf-meta time')?.getAttribute('datetime'),
                reliability: q('.bf-meta .bf-rel')?.textContent ?? null,
                grade: q('.bf-meta .bf-grade-words')?.textContent ?? null,
                language: q('.bf-meta .bf-lang')?.textContent ?? null,
                source: q('.bf-meta a.bf-source')?.getAttribute('href') ?? null,
                summary: q('.bf-summary')?.textContent ?? null,
            };
        })""",
    )


def pager(page: Page) -> Any:
    """The "Other weeks" line under a briefing or digest (found by its text: see test_core's pager test)."""
    return article(page).locator(".bf-block", has_text="Other weeks:").last


def no_horizontal_overflow(page: Page, width: int) -> None:
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    assert scroll_width <= width + 1, f"{page.url} is {scroll_width}px wide in a {width}px viewport"


# --- home -----------------------------------------------------------------------


def test_home_shows_the_latest_digest_and_the_topics(page: Page, shipped: Archive) -> None:
    latest = shipped.latest
    assert latest is not None
    page.goto("")
    content = article(page)
    expect(content.get_by_role("heading", name=f"Latest week: {latest.week.label}")).to_be_visible()
    expect(content.locator(".bf-week-range").first).to_contain_text(latest.week.range_label)
    for briefing in latest.briefings:
        link = content.get_by_role("link", name=re.compile(f"^{re.escape(briefing.topic.title)}: \\d+ items?$")).first
        expect(link).to_have_attribute("href", re.compile(f"weeks/{latest.week.label}/{briefing.topic.slug}/$"))
    for topic in shipped.topics:
        expect(content.locator(f'.bf-topics-list a[href$="topics/{topic.slug}/"]').first).to_have_text(topic.title)
    screenshot(page, "home")

    content.get_by_role("link", name="the week's digest").click()
    page.wait_for_url(f"**/weeks/{latest.week.label}/")
    assert h1(page) == f"Week {latest.week.week}, {latest.week.year}: digest"


# --- search ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "note"),
    [
        pytest.param("Tianchi", "notes/2025/2025-11-13-baidu-kunlun-m100-m300-roadmap/", id="english"),
        pytest.param("billet", "notes/2025/2025-09-12-alibaba-baidu-gate-fr/", id="french"),
        # The body says "l'autosuffisance": the search separator splits on apostrophes.
        pytest.param("autosuffisance", "notes/2025/2025-09-12-alibaba-baidu-gate-fr/", id="french-elision"),
    ],
)
def test_search_finds_the_note_and_opens_it(page: Page, word: str, note: str, shipped: Archive) -> None:
    title = next(n.title for n in shipped.notes if n.path == note.rstrip("/") + ".md")
    page.goto("")
    page.locator("input.md-search__input").click()
    page.keyboard.type(word)
    results = page.locator(".md-search-result__item > .md-search-result__link")
    expect(results.first).to_be_visible()
    hrefs = [path_of(href or "") for href in results.evaluate_all("links => links.map(a => a.getAttribute('href'))")]
    assert note in hrefs, f"searching {word!r} found {hrefs}, not {note}"
    if word == "autosuffisance":
        screenshot(page, "search-autosuffisance")

    results.nth(hrefs.index(note)).click()
    page.wait_for_url(re.compile(re.escape(note)))
    assert h1(page) == title


# --- weekly briefing ------------------------------------------------------------


def test_briefing_lists_items_in_order_with_source_language_and_reliability(page: Page, shipped: Archive) -> None:
    slug, week = BRIEFING.split("/")[2], BRIEFING.split("/")[1]
    briefing = next(b for b in shipped.briefings[slug] if b.week.label == week)
    page.goto(BRIEFING)
    expect(page.locator(".bf-week-range .bf-range")).to_have_text(WEEK_RANGE)
    found = items(page)
    assert len(found) >= 3, found

    importance = {it.lead.title: it.lead.importance for it in briefing.items}
    assert len(set(importance.values())) > 1, "the chosen briefing should mix importances, or the order is not tested"
    # Key developments, other items, continuing stories; within each, importance high first, then date, then title.
    sections = (briefing.key_items, briefing.new_other_items, briefing.continuing_items)
    assert [item["title"] for item in found] == [it.lead.title for section in sections for it in section]
    for section in sections:
        keys = [it.sort_key() for it in section]
        assert keys == sorted(keys)
    headings = [h.removesuffix("¶").strip() for h in article(page).locator("h2").all_inner_texts()]
    assert headings[0] == "Key developments"
    for item in found:
        assert DAY.match(item["date"]), item
        assert _day_ordinal(item["date"]) == dt.date.fromisoformat(item["datetime"]).toordinal(), item
        assert item["source"] and item["source"].startswith(("https://", "http://")), item
        # The Admiralty grade as written, and spelt out in words.
        assert item["reliability"] and re.fullmatch(r"[A-F]", item["reliability"]), item
        assert item["grade"].startswith(RELIABILITY_MEANING[item["reliability"]] + " source"), item
        assert item["summary"], item

    # Every source line in the page (items and "also reported by") names a non-English language.
    languages = page.locator("article .bf-lang")
    assert languages.count() >= 1
    for index in range(languages.count()):
        expect(languages.nth(index)).to_have_text(re.compile(r"^in [A-Z][a-z]+( [A-Z][a-z]+)*$"))
    dates = article(page).locator(".bf-meta time").all_inner_texts()
    assert dates and all(DAY.match(d) for d in dates), dates
    screenshot(page, "briefing")


def _day_ordinal(day: str) -> int:
    return dt.datetime.strptime(day, "%d %b %Y").toordinal()


def test_entity_link_opens_a_page_listing_the_note(page: Page) -> None:
    page.goto(BRIEFING)
    first = items(page)[0]
    note_path = path_of(page.locator("article h3 a:not(.headerlink)").first.evaluate("a => a.href"))
    # The entities line is the last line of the item, under its heading.
    entity = page.locator("article h3").first.locator("xpath=following-sibling::div[1]").locator(".bf-entities a")
    name = entity.first.inner_text()
    entity.first.click()
    page.wait_for_url("**/entities/**")
    assert h1(page) == name
    links = article(page).locator("li a").evaluate_all("links => links.map(a => a.href)")
    assert note_path in [path_of(href) for href in links], f"{name}'s page does not list {first['title']!r}"


def test_previous_and_next_week_links(page: Page) -> None:
    page.goto(BRIEFING)
    title = h1(page)
    topic = title.split(":")[0]

    pager(page).get_by_role("link", name=re.compile("^← ")).click()
    page.wait_for_url(re.compile(r"weeks/\d{4}-W\d{2}/ai-chip-self-sufficiency/$"))
    assert path_of(page.url) != BRIEFING
    assert h1(page).startswith(topic) and h1(page) != title
    pager(page).get_by_role("link", name=re.compile(" →$")).click()
    page.wait_for_url(f"**/{BRIEFING}")
    assert h1(page) == title

    pager(page).get_by_role("link", name=re.compile(" →$")).click()
    page.wait_for_url(re.compile(r"weeks/\d{4}-W\d{2}/ai-chip-self-sufficiency/$"))
    later = h1(page)
    assert later.startswith(topic) and later != title
    pager(page).get_by_role("link", name=re.compile("^← ")).click()
    page.wait_for_url(f"**/{BRIEFING}")


def test_digest_has_a_section_per_topic_with_key_items(page: Page, shipped: Archive) -> None:
    digest = next(d for d in shipped.digests if d.week.label == DIGEST.split("/")[1])
    page.goto(DIGEST)
    sections = article(page).locator("h2").all_inner_texts()
    topics = [b.topic.title for b in digest.briefings]
    assert [s.removesuffix("¶").strip() for s in sections][: len(topics)] == topics
    expect(article(page).locator(".bf-lede")).to_be_visible()
    # Each story once: the items shown are the digest's, each under the first topic that has it.
    shown = [item["title"] for item in items(page)] + article(page).locator(".bf-short > li > a").all_inner_texts()
    assert sorted(shown) == sorted(item.lead.title for item in digest.items)
    assert len(shown) == len(set(shown))
    screenshot(page, "digest")


# --- topic and entity pages -----------------------------------------------------


def test_topic_page_shows_its_chart_and_archive(page: Page, shipped: Archive) -> None:
    slug = TOPIC.split("/")[1]
    topic = next(t for t in shipped.topics if t.slug == slug)
    page.goto(TOPIC)
    chart = article(page).locator("div.bf-chart")
    expect(chart).to_be_visible()
    assert topic.title in (chart.get_attribute("aria-label") or "")  # the chart's summary, in words
    bars = chart.locator("a.bf-bar")
    assert bars.count() >= 1
    # Each bar is a link to its week's briefing, and says its week and counts in words.
    first = bars.first
    assert re.search(
        r"\d{4}-W\d{2} .*: \d+ stor(y|ies) from \d+ notes?", first.inner_text() or first.get_attribute("title") or ""
    )
    first.click()
    page.wait_for_url(f"**/weeks/*/{slug}/")
    page.go_back()
    # The chart fills the column (Material shrinks figures to their content otherwise).
    column = article(page).bounding_box()
    box = chart.bounding_box()
    assert column and box and box["width"] >= 0.8 * (column["width"] - 48), (box, column)

    archive = article(page).locator(f'ul.bf-archive > li > a[href*="/{slug}/"]')
    labels = archive.all_inner_texts()
    expected = [b.week.label for b in shipped.briefings[slug]]
    assert labels == expected, "the archive lists every weekly briefing, newest first"
    assert labels == sorted(labels, reverse=True)
    screenshot(page, "topic")

    archive.first.click()
    page.wait_for_url(f"**/weeks/{expected[0]}/{slug}/")
    assert h1(page).startswith(topic.title)


def test_entity_page_shows_its_timeline(page: Page, shipped: Archive) -> None:
    slug = ENTITY.split("/")[1]
    entity = next(e for e in shipped.entities if e.slug == slug)
    page.goto(ENTITY)
    assert h1(page) == entity.name
    expect(article(page).locator(".bf-week-range")).to_contain_text(f"Named in {entity.count} notes")
    weeks = [WEEK_LABEL.search(h).group(0) for h in article(page).locator("h2").all_inner_texts()]  # type: ignore[union-attr]
    assert weeks == [week.label for week, _ in entity.weeks]
    assert weeks == sorted(weeks, reverse=True), "newest week first"
    notes = article(page).locator("li")
    assert notes.count() == entity.count
    for day in article(page).locator("li .bf-meta time").all_inner_texts():
        assert DAY.match(day), day
    expect(article(page).locator("li .bf-lang").first).to_be_visible()  # Alibaba is named by non-English sources
    screenshot(page, "entity")


# --- without JavaScript, on a phone ---------------------------------------------


def test_reading_works_without_javascript(new_context: NewContext) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto("")
    content = article(page)
    expect(content.get_by_role("heading", name=re.compile("^Latest week"))).to_be_visible()
    nav = page.locator(".md-sidebar--primary")
    for label in ("Home", "Weeks", "Topics", "Entities"):
        expect(
            nav.locator(".md-nav__link", has_text=re.compile(rf"^\s*{label}\s*$")).locator("visible=true").first
        ).to_be_visible()
    screenshot(page, "home-no-js")

    content.get_by_role("link", name="the week's digest").click()
    page.wait_for_url("**/weeks/*/")
    expect(article(page).locator("h2").first).to_be_visible()
    page.goto(BRIEFING)
    assert len(items(page)) >= 3
    entity = article(page).locator('a[href*="entities/"]').first
    name = entity.inner_text()
    entity.click()
    page.wait_for_url("**/entities/**")
    assert h1(page) == name
    page.goto(TOPIC)
    expect(article(page).locator("div.bf-chart")).to_be_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_mobile_viewport_has_no_horizontal_scroll_and_a_menu(new_context: NewContext, scheme: str) -> None:
    page = new_context(viewport=MOBILE, is_mobile=True, has_touch=True, color_scheme=scheme).new_page()
    for name, path in PAGES.items():
        page.goto(path)
        no_horizontal_overflow(page, MOBILE["width"])
        screenshot(page, f"{name}-mobile-{scheme}")

    page.goto("")
    menu = page.locator(".md-header label[for='__drawer']")
    expect(menu).to_be_visible()
    menu.click()
    drawer = page.locator(".md-sidebar--primary")
    expect(drawer.get_by_role("link", name="Entities", exact=True)).to_be_visible()
    # "Topics" is a link to the list of topics (navigation.indexes); the arrow beside it opens the section.
    section = drawer.locator("li.md-nav__item--nested", has=page.get_by_role("link", name="Topics", exact=True))
    section.locator("label.md-nav__link").first.click()
    topic = drawer.locator(f'a.md-nav__link[href$="{TOPIC}"]')
    expect(topic).to_be_visible()
    topic.click()
    page.wait_for_url(f"**/{TOPIC}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_page_types_in_both_palettes(new_context: NewContext, scheme: str) -> None:
    page = new_context(color_scheme=scheme).new_page()
    for name, path in PAGES.items():
        page.goto(path)
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate" if scheme == "dark" else "default")
        no_horizontal_overflow(page, VIEWPORT["width"])
        screenshot(page, f"{name}-{scheme}")


# --- privacy ----------------------------------------------------------------------


@pytest.mark.parametrize("name", list(EVERY_KIND))
def test_no_request_leaves_the_site_and_none_is_missing(new_context: NewContext, site_url: str, name: str) -> None:
    """No page asks a third party for anything (fonts, the repository's stars, a feed's host), and every
    request it makes finds what it asks for (Material once asked topics/<slug>/sitemap.xml, a 404)."""
    page = new_context(color_scheme="light").new_page()
    elsewhere: list[str] = []
    missing: list[str] = []
    page.on("request", lambda request: elsewhere.append(request.url) if not request.url.startswith(site_url) else None)
    page.on("response", lambda response: missing.append(response.url) if response.status >= 400 else None)
    page.goto(EVERY_KIND[name])
    page.wait_for_load_state("networkidle")
    page.locator(".md-search__input").first.click()  # search loads its own files: none elsewhere
    page.keyboard.type("Alibaba")
    page.wait_for_timeout(500)
    page.wait_for_load_state("networkidle")
    assert elsewhere == [], elsewhere
    if name == "not-found":  # its links are absolute to site_url's path (/briefings/), as GitHub Pages serves it
        assert missing[0] == site_url + EVERY_KIND[name]
    else:
        assert missing == [], missing


# --- accessibility --------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "scheme"),
    [
        pytest.param(
            name,
            scheme,
            id=f"{name}-{scheme}",
        )
        for name in EVERY_KIND
        for scheme in ("light", "dark")
    ],
)
def test_no_serious_accessibility_violations(new_context: NewContext, name: str, scheme: str) -> None:
    """axe finds no serious or critical violation on any kind of page, in either palette, with no exceptions."""
    page = new_context(color_scheme=scheme).new_page()
    page.goto(EVERY_KIND[name])
    results = Axe().run(page)
    found = serious_violations(results.response["violations"])
    assert not found, f"axe on {name} ({scheme}):\n{describe(found)}"


# --- print ----------------------------------------------------------------------


def test_briefing_prints_to_a4_without_site_chrome(page: Page) -> None:
    page.goto(BRIEFING)
    title = h1(page)
    found = items(page)
    pdf = page.pdf(format="A4")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "briefing-print.pdf").write_bytes(pdf)
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi, for a look at the print layout
    page.emulate_media(media="print")
    screenshot(page, "briefing-print")

    # Compared without whitespace: the PDF's text breaks lines anywhere, even after a hyphen.
    pages = [squash(p.extract_text()) for p in PdfReader(io.BytesIO(pdf)).pages]
    assert 1 <= len(pages) <= 4, f"{len(pages)} A4 pages for a three-item briefing"
    text = " ".join(pages)
    assert squash(title) in text
    for item in found:
        # An item's title and the start of its summary are on the same page.
        heading, summary = squash(item["title"]), squash(item["summary"])[:50]
        on = [n for n, page_text in enumerate(pages) if heading in page_text and summary in page_text]
        assert on, f"{item['title']!r} is split from its summary across a page break"
    # External links show where they go; internal ones do not (they would be 127.0.0.1 URLs).
    assert found[0]["source"] in text
    assert "127.0.0.1" not in text
    for chrome in ("Search", "Table of contents", "AI chip self-sufficiency briefings", "Made with"):
        assert squash(chrome) not in text, f"{chrome!r} printed"


def test_briefing_prints_without_its_week_pager(page: Page) -> None:
    page.goto(BRIEFING)
    expect(article(page)).to_contain_text("Other weeks")  # on screen
    text = " ".join(squash(p.extract_text()) for p in PdfReader(io.BytesIO(page.pdf(format="A4"))).pages)
    assert squash("Other weeks") not in text


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)
