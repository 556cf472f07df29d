"""The real thing: `mkdocs build` of the shipped site and of temp sites, checked page by page."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import REPO, mkdocs_build, note, topics, write_site

pytestmark = pytest.mark.slow


def _text(page: str) -> str:
    """The visible text of HTML, character references read."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _article(path: Path) -> str:
    """The page's main content, without Material's navigation and header."""
    html = path.read_text(encoding="utf-8")
    start = html.index('<article class="md-content__inner')
    return html[start : html.index("</article>", start)]


def test_shipped_site_has_every_kind_of_page(shipped_site: Path) -> None:
    for page in [
        "index.html",
        "weeks/index.html",
        "weeks/2025-W37/index.html",
        "weeks/2025-W37/ai-chip-self-sufficiency/index.html",
        "topics/ai-chip-self-sufficiency/index.html",
        "topics/export-controls/index.html",
        "entities/index.html",
        "entities/kunlun-p800/index.html",
        "notes/2025/2025-09-12-alibaba-baidu-gate-fr/index.html",
    ]:
        assert (shipped_site / page).is_file(), page


def test_drafts_are_not_published_by_build(shipped_site: Path) -> None:
    drafts = [p for p in (REPO / "briefings/notes").rglob("*.md") if "\ndraft: true" in p.read_text(encoding="utf-8")]
    assert drafts, "the shipped site keeps one draft to show the feature"
    for draft in drafts:
        assert not (shipped_site / "notes" / draft.parent.name / draft.stem / "index.html").exists()


def test_sidebar_does_not_list_notes(shipped_site: Path) -> None:
    html = (shipped_site / "weeks/2025-W37/ai-chip-self-sufficiency/index.html").read_text(encoding="utf-8")
    nav = html[html.index('<nav class="md-nav md-nav--primary"') : html.index("md-sidebar--secondary")]
    assert "notes/2025/" not in nav
    assert "Topics" in nav and "Weeks" in nav


def test_story_told_by_several_sources_is_one_item(shipped_site: Path) -> None:
    page = _article(shipped_site / "weeks/2025-W37/ai-chip-self-sufficiency/index.html")
    story_links = re.findall(r'href="[^"]*notes/2025/(2025-09-1\d-alibaba-baidu[^/"]*)/"', page)
    assert len(set(story_links)) >= 4
    assert page.count("Also reported by") == 1


@pytest.fixture(scope="module")
def year_edges(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A temp site with notes on ISO week-year edges and a story across weeks."""
    files = {
        **topics("chips", "controls"),
        "briefings/notes/2024/2024-12-30-first-of-2025-w01.md": note("Week one of 2025", "2024-12-30", "[chips]"),
        "briefings/notes/2027/2027-01-01-last-of-2026-w53.md": note("Week 53 of 2026", "2027-01-01", "[chips, controls]"),
        "briefings/notes/2026/2026-12-28-minor.md": note("Minor item", "2026-12-28", "[chips]", extra="importance: 2\n"),
        "briefings/notes/2026/2026-12-29-major.md": note("Major item", "2026-12-29", "[chips]", extra="importance: 5\n"),
        "briefings/notes/2026/2026-12-30-b-same-day.md": note("Beta same day", "2026-12-30", "[chips]"),
        "briefings/notes/2026/2026-12-30-a-same-day.md": note("Alpha same day", "2026-12-30", "[chips]"),
        "briefings/notes/2026/2026-12-21-story-start.md": note("Story starts", "2026-12-21", "[chips]", extra="story: saga\n"),
        "briefings/notes/2026/2026-12-31-story-goes-on.md": note("Story goes on", "2026-12-31", "[chips]", extra="story: saga\n"),
        "briefings/weeks/2026-W53.md": "The bottom line of week 53.\n",
    }
    root = write_site(tmp_path_factory.mktemp("edges"), files)
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    return root / "site"


def test_iso_week_years(year_edges: Path) -> None:
    assert "Week one of 2025" in _text(_article(year_edges / "weeks/2025-W01/chips/index.html"))
    for topic in ("chips", "controls"):
        assert "Week 53 of 2026" in _text(_article(year_edges / f"weeks/2026-W53/{topic}/index.html"))
    assert not (year_edges / "weeks/2024-W01").exists() and not (year_edges / "weeks/2027-W00").exists()


def test_items_ordered_by_importance_then_date_then_title(year_edges: Path) -> None:
    text = _text(_article(year_edges / "weeks/2026-W53/chips/index.html"))
    order = ["Major item", "Minor item"]  # key developments first, whatever the dates
    assert text.index(order[0]) < text.index(order[1])
    # importance 3: by date, then title; the continuing story after them, in its own section
    titles = ["Alpha same day", "Beta same day", "Week 53 of 2026", "Continuing stories", "Story goes on"]
    positions = [text.index(t) for t in titles]
    assert positions == sorted(positions), titles


def test_story_links_back_and_weeks_link_to_neighbours(year_edges: Path) -> None:
    page = _article(year_edges / "weeks/2026-W53/chips/index.html")
    assert 'href="../../2026-W52/chips/"' in page  # earlier coverage of the story, and the previous week
    assert "Continuing stories" in page
    previous = _article(year_edges / "weeks/2026-W52/chips/index.html")
    assert 'href="../../2026-W53/chips/"' in previous


def test_digest_shows_week_lede_first(year_edges: Path) -> None:
    text = _text(_article(year_edges / "weeks/2026-W53/index.html"))
    assert text.index("The bottom line of week 53.") < text.index("Chips")
    assert text.index("Chips") < text.index("Controls")  # topic order


def test_topic_entity_and_home_pages(year_edges: Path) -> None:
    topic = _article(year_edges / "topics/chips/index.html")
    assert 'class="bf-chart"' in topic and 'class="bf-bar ' in topic  # the chart: bars that link to their weeks
    archive_list = topic[topic.index('class="bf-archive"') :].split("</ul>", 1)[0]  # Material's lean index may add attributes
    archive = re.findall(r'href="../../weeks/(\d{4}-W\d\d)/chips/"', archive_list)
    assert archive == sorted(set(archive), reverse=True) and "2025-W01" in archive
    home = _text(_article(year_edges / "index.html"))
    assert "Latest week: 2026-W53" in home and "Chips" in home and "Controls" in home


def test_lenient_build_leaves_bad_note_out_and_strict_fails(make_site) -> None:
    root = make_site(
        {
            **topics("chips"),
            "briefings/notes/2025/2025-09-11-good.md": note("Good note"),
            "briefings/notes/2025/2025-09-12-bad.md": note("Bad note", "2025-09-12", "[no-such-topic]"),
        }
    )
    lenient = mkdocs_build(root)
    assert lenient.returncode == 0, lenient.stderr
    assert "notes/2025/2025-09-12-bad.md:4: error: 'topics[0]' is 'no-such-topic'" in lenient.stderr
    assert "left out" in lenient.stderr
    assert not (root / "site/notes/2025/2025-09-12-bad").exists()
    assert (root / "site/notes/2025/2025-09-11-good/index.html").is_file()
    strict = mkdocs_build(root, "--strict")
    assert strict.returncode != 0
    assert "2025-09-12-bad.md" in strict.stderr
    assert "Traceback" not in strict.stderr


def test_shipped_digests_print_each_story_once(shipped_site: Path) -> None:
    """A story in several topics is one item of the week's digest: its lead note is listed once, and the items add up."""
    digests = sorted(shipped_site.glob("weeks/*-W*/index.html"))
    assert len(digests) > 10
    for digest in digests:
        page = _article(digest)
        leads = re.findall(r'<h3 id="[^"]*"><a href="[^"]*notes/([^"]*)/"', page)
        short = "".join(re.findall(r'<ul[^>]*class="bf-short"[^>]*>(.*?)</ul>', page, flags=re.DOTALL))
        leads += re.findall(r'<li><a href="[^"]*notes/([^"]*)/"', short)
        assert len(leads) == len(set(leads)), (digest, sorted(leads))
        count = re.search(r"· (\d+) items? from \d+ sources? in \d+ topics?", page)
        assert count, digest
        assert len(leads) == int(count[1]), digest


def test_home_page_title_is_the_site_name_once(shipped_site: Path) -> None:
    home = (shipped_site / "index.html").read_text(encoding="utf-8")
    assert "<title>AI chip self-sufficiency briefings</title>" in home


def test_a_note_is_found_once_in_the_search_index(shipped_site: Path) -> None:
    """Pagefind indexes what a page marks with data-pagefind-body: a note's page whole, a briefing by its title only."""
    summary = "the Cyberspace Administration of China told companies including ByteDance and Alibaba"
    found = []
    for page in sorted(shipped_site.rglob("index.html")):
        text = page.read_text(encoding="utf-8")
        if summary in text and "<div data-pagefind-body>" in text:  # the whole article is indexed
            found.append(page.parent.relative_to(shipped_site).as_posix() + "/")
        elif summary in text:
            assert "<div data-pagefind-body hidden><h1>" in text, page  # only the title is
    assert (shipped_site / "pagefind" / "pagefind-entry.json").is_file()
    assert found == ["notes/2025/2025-09-17-cac-rtx-pro-6000d-ban-pcgamer/"]


def test_the_weeks_menu_lists_the_latest_week(shipped_site: Path) -> None:
    latest = max(p.name for p in (shipped_site / "weeks").iterdir() if re.fullmatch(r"\d{4}-W\d{2}", p.name))
    for page in ("index.html", "weeks/2025-W37/index.html", "notes/2025/2025-09-12-alibaba-baidu-gate-fr/index.html"):
        html_text = (shipped_site / page).read_text(encoding="utf-8")
        nav = html_text[html_text.index('<nav class="md-nav md-nav--primary"') : html_text.index("md-sidebar--secondary")]
        assert re.search(rf'href="[^"]*\b{latest}/"', nav), page


def test_a_notes_story_links_to_its_items_not_its_id(shipped_site: Path) -> None:
    story = "alibaba-baidu-inhouse-training"
    source = (REPO / "briefings/notes/2025/2025-09-11-alibaba-baidu-inhouse-training-reuters.md").read_text(encoding="utf-8")
    assert f"story: {story}" in source
    page = _article(shipped_site / "notes/2025/2025-09-11-alibaba-baidu-inhouse-training-reuters/index.html")
    assert story not in _text(page)  # the editor's id is not shown to readers
    assert re.search(r'Story:</span>[^<]*<a href="\.\./\.\./\.\./weeks/2025-W37/ai-chip-self-sufficiency/">2025-W37</a>', page), (
        page
    )


def test_an_entity_description_shows_above_its_timeline(tmp_path: Path) -> None:
    root = write_site(
        tmp_path,
        {
            **topics("chips"),
            "briefings/notes/2025/2025-09-11-a.md": note("A note", extra="entities: [Kunlun P800]\n"),
            "briefings/entities/kunlun-p800.md": "---\ndescription: Baidu's <b>training</b> chip\n---\nMade by Kunlunxin, a Baidu unit.\n",
        },
    )
    result = mkdocs_build(root, "--strict")
    assert result.returncode == 0, result.stderr
    page = _article(root / "site/entities/kunlun-p800/index.html")
    text = _text(page)
    assert "Baidu's <b>training</b> chip" in text  # front matter is text, shown literally
    assert "Made by Kunlunxin, a Baidu unit." in text
    assert text.index("Made by Kunlunxin") < text.index("A note")
