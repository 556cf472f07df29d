"""Render an assembled site into pages: a path relative to the docs dir and its Markdown.

Templates live in ``templates/`` (editors may change them). The Jinja2
environment escapes every ``{{ value }}`` on output (``finalize``), so a
front-matter value cannot reach a page unescaped by accident; only values the
generator made itself (``Trusted``: links, sanitized HTML, SVG) pass as they are.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator import chart, markup, schema
from generator.assemble import Briefing, Digest, Entity, Site
from generator.escape import Trusted, escape_url, finalize
from generator.languages import NAMES as LANGUAGE_NAMES
from generator.model import Note, Topic
from generator.slugs import entity_slug
from generator.weeks import IsoWeek, format_day

BUNDLED_TEMPLATES = Path(__file__).resolve().parent / "templates"
SOURCE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

DIGEST = "digest.md.j2"
BRIEFING = "briefing.md.j2"
TOPIC = "topic.md.j2"
ENTITY = "entity.md.j2"
ENTITIES = "entities.md.j2"
WEEKS = "weeks.md.j2"
HOME = "home.md.j2"
NOTE_HEADER = "note_header.md.j2"
NEW_NOTE = "new_note.md.j2"


@dataclass(frozen=True)
class Page:
    """A generated page; ``title`` and ``description`` are plain text, unescaped."""

    path: str
    title: str
    description: str
    markdown: str


# Where each kind of page lives, relative to the docs dir (section 5 of the spec).
def digest_path(week: IsoWeek) -> str:
    return f"weeks/{week.label}/index.md"


def briefing_path(week: IsoWeek, topic: str) -> str:
    return f"weeks/{week.label}/{topic}.md"


def topic_path(slug: str) -> str:
    return f"topics/{slug}.md"


def entity_path(slug: str) -> str:
    return f"entities/{slug}.md"


ENTITIES_PATH = "entities/index.md"
WEEKS_PATH = "weeks/index.md"
HOME_PATH = "index.md"


def template_dirs(site_templates: Path | None) -> list[Path]:
    """The site's own templates first, then the ones shipped with the package."""
    dirs = [site_templates] if site_templates and site_templates.is_dir() else []
    return dirs + [d for d in (BUNDLED_TEMPLATES, SOURCE_TEMPLATES) if d.is_dir() and d not in dirs]


class Renderer:
    """One Jinja2 environment for all pages; templates are looked up by name."""

    def __init__(self, site_templates: Path | None = None, *, allow_raw_html: bool = False) -> None:
        self.allow_raw_html = allow_raw_html
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(site_templates)]),
            undefined=jinja2.StrictUndefined,
            autoescape=True,  # with ``finalize``, which escapes for Markdown as well as HTML
            finalize=finalize,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            url=escape_url,
            day=lambda d: format_day(d),
            html=self.html,
            language=lambda code: LANGUAGE_NAMES.get(code, code),
            plural=lambda n, word: f"{n} {word}{'' if n == 1 else 's'}",
        )
        self.env.globals.update(
            digest_path=digest_path,
            briefing_path=briefing_path,
            topic_path=topic_path,
            entity_path=entity_path,
            ENTITIES_PATH=ENTITIES_PATH,
            WEEKS_PATH=WEEKS_PATH,
            RELIABILITY=schema.RELIABILITY_MEANING,
            CREDIBILITY=schema.CREDIBILITY_MEANING,
            H3=Trusted("###"),
        )

    def html(self, text: str) -> Trusted:
        return markup.to_html(text, allow_raw_html=self.allow_raw_html)

    def render(self, template: str, page_path: str, **context: object) -> str:
        """Render ``template`` for the page at ``page_path``; ``link(target)`` is relative to it."""

        def link(target: str) -> Trusted:
            return Trusted(posixpath.relpath(target, posixpath.dirname(page_path) or "."))

        def entity_link(name: str) -> Trusted:
            return link(entity_path(entity_slug(name)))

        return self.env.get_template(template).render(link=link, entity_link=entity_link, **context)

    def pages(self, site: Site) -> Iterator[Page]:
        """Every generated page of the site, in a stable order."""
        yield self.weeks_page(site)
        for digest in site.digests:
            yield self.digest_page(digest)
            for briefing in digest.briefings:
                yield self.briefing_page(briefing)
        with_pages = frozenset(entity.name for entity in site.entities)
        for topic in site.topics:
            yield self.topic_page(topic, site.briefings.get(topic.slug, ()), with_pages)
        yield self.entities_page(site)
        for entity in site.entities:
            yield self.entity_page(entity)

    def digest_page(self, digest: Digest) -> Page:
        path = digest_path(digest.week)
        title = f"Week {digest.week.week}, {digest.week.year}: digest"
        text = self.render(DIGEST, path, digest=digest, title=title)
        return Page(path, title, f"All topics, {digest.week.range_label}.", text)

    def briefing_page(self, briefing: Briefing) -> Page:
        path = briefing_path(briefing.week, briefing.topic.slug)
        title = f"{briefing.topic.title}: week {briefing.week.week}, {briefing.week.year}"
        lead = briefing.items[0].lead
        text = self.render(BRIEFING, path, briefing=briefing, title=title)
        return Page(path, title, f"{briefing.week.range_label}: {lead.title}", text)

    def topic_page(self, topic: Topic, briefings: tuple[Briefing, ...], entity_names: frozenset[str] = frozenset()) -> Page:
        """The topic's intro, chart and archive; watch-list entities with no notes yet are not links."""
        path = topic_path(topic.slug)
        counts = {b.week: len(b.notes) for b in briefings}
        svg = chart.activity_svg(topic.title, counts)
        text = self.render(TOPIC, path, topic=topic, briefings=briefings, chart=svg, entity_names=entity_names)
        return Page(path, topic.title, topic.description, text)

    def entity_page(self, entity: Entity) -> Page:
        path = entity_path(entity.slug)
        text = self.render(ENTITY, path, entity=entity)
        return Page(path, entity.name, f"Timeline of {entity.name}: {entity.count} notes.", text)

    def entities_page(self, site: Site) -> Page:
        text = self.render(ENTITIES, ENTITIES_PATH, entities=site.entities)
        return Page(ENTITIES_PATH, "Entities", "Every company, product, agency and person in the notes.", text)

    def weeks_page(self, site: Site) -> Page:
        text = self.render(WEEKS, WEEKS_PATH, digests=site.digests)
        return Page(WEEKS_PATH, "All weeks", "Every weekly digest, newest first.", text)

    def home_section(self, site: Site) -> str:
        """Markdown the generator appends to the editor's home page."""
        return self.render(HOME, HOME_PATH, site=site, latest=site.latest)

    def note_header(self, note: Note, topics: tuple[Topic, ...]) -> str:
        """Markdown placed above a note's own body on its page."""
        titles = {topic.slug: topic.title for topic in topics}
        return self.render(NOTE_HEADER, note.path, note=note, topic_titles=titles)
