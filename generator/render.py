"""Render an assembled site into pages: a path relative to the docs dir and its Markdown.

Templates live in ``templates/`` (editors may change them). The Jinja2
environment escapes every ``{{ value }}`` on output (``finalize``), so a
front-matter value cannot reach a page unescaped by accident; only values the
generator made itself (``Trusted``: links, sanitized HTML, SVG) pass as they are.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

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


@lru_cache(maxsize=8192)
def relative_link(target: str, page_dir: str) -> Trusted:
    """``posixpath.relpath(target, page_dir)`` for two paths relative to the docs dir.

    The same answer without ``relpath``'s two ``os.getcwd()`` calls, and cached:
    a site links the same few thousand targets from the same few folders
    (profiling showed ``relpath`` at a quarter of all rendering time).
    """
    parts = target.split("/")
    base = page_dir.split("/") if page_dir else []
    if any(p in ("", ".", "..") for p in parts + base):
        return Trusted(posixpath.relpath(target, page_dir or "."))
    common = 0
    while common < len(base) and common < len(parts) and base[common] == parts[common]:
        common += 1
    return Trusted("/".join([".."] * (len(base) - common) + parts[common:]) or ".")


def template_dirs(site_templates: Path | None) -> list[Path]:
    """The site's own templates first, then the ones shipped with the package."""
    dirs = [site_templates] if site_templates and site_templates.is_dir() else []
    return dirs + [d for d in (BUNDLED_TEMPLATES, SOURCE_TEMPLATES) if d.is_dir() and d not in dirs]


P = ParamSpec("P")
T = TypeVar("T")


def _memoized(method: Callable[Concatenate[Renderer, P], T]) -> Callable[Concatenate[Renderer, P], T]:
    """Render a page once for the same inputs (frozen, comparable data), for as long as the templates stay the same.

    A build asks once per page, so this only pays off when a Renderer serves
    several builds: under ``mkdocs serve`` an edit to one note changes a few
    briefings, and rendering the other thousand pages again was a third of a rebuild.
    """

    @functools.wraps(method)
    def memoized(self: Renderer, /, *args: P.args, **kwargs: P.kwargs) -> T:
        if not self.memoize:  # one build: hashing every input would cost time and keep memory for nothing
            return method(self, *args, **kwargs)
        key = (method.__name__, args, tuple(sorted(kwargs.items())))
        try:
            found = self._rendered.get(key, _MISSING)
        except TypeError:  # an unhashable argument: nothing to remember it by
            return method(self, *args, **kwargs)
        self._used.add(key)
        if found is _MISSING:
            found = self._rendered[key] = method(self, *args, **kwargs)
        return found  # type: ignore[return-value]

    return memoized


_MISSING = object()


def _fingerprint(dirs: list[Path]) -> list[tuple[str, int, int]]:
    """Every template file with its modification time and size."""
    found = []
    for folder in dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return found


class Renderer:
    """One Jinja2 environment for all pages; templates are looked up by name.

    Under ``mkdocs serve`` one Renderer serves every rebuild (see ``reuse``);
    ``start_build`` then forgets what a changed template rendered.
    """

    def __init__(self, site_templates: Path | None = None, *, allow_raw_html: bool = False, memoize: bool = False) -> None:
        self.allow_raw_html = allow_raw_html
        self.memoize = memoize
        self.site_templates = site_templates
        self.dirs = template_dirs(site_templates)
        self._templates = _fingerprint(self.dirs)
        self._rendered: dict[object, object] = {}
        self._used: set[object] = set()
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader([str(d) for d in self.dirs]),
            undefined=jinja2.StrictUndefined,
            autoescape=True,  # with ``finalize``, which escapes for Markdown as well as HTML
            finalize=finalize,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            auto_reload=False,  # no stat() per template per page; start_build() looks for changes once
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

    @classmethod
    def reuse(cls, previous: Renderer | None, site_templates: Path | None, allow_raw_html: bool) -> Renderer:
        """A Renderer for one build of several: ``previous`` if it has these settings, else a new one.

        It remembers what it rendered, so a rebuild renders only pages whose inputs changed.
        """
        same = (site_templates, template_dirs(site_templates), allow_raw_html)
        if previous is not None and (previous.site_templates, previous.dirs, previous.allow_raw_html) == same:
            return previous
        return cls(site_templates, allow_raw_html=allow_raw_html, memoize=True)

    def start_build(self) -> None:
        """Forget pages the last build did not ask for, and everything when a template changed."""
        templates = _fingerprint(self.dirs)
        if templates != self._templates:
            self._templates = templates
            self._rendered.clear()
            self.env.cache.clear()  # type: ignore[union-attr]
        for key in set(self._rendered) - self._used:
            del self._rendered[key]
        self._used = set()

    def html(self, text: str) -> Trusted:
        return markup.to_html(text, allow_raw_html=self.allow_raw_html)

    def render(self, template: str, page_path: str, **context: object) -> str:
        """Render ``template`` for the page at ``page_path``; ``link(target)`` is relative to it."""
        page_dir = posixpath.dirname(page_path)

        def link(target: str) -> Trusted:
            return relative_link(target, page_dir)

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

    @_memoized
    def digest_page(self, digest: Digest) -> Page:
        path = digest_path(digest.week)
        title = f"Week {digest.week.week}, {digest.week.year}: digest"
        text = self.render(DIGEST, path, digest=digest, title=title)
        return Page(path, title, f"All topics, {digest.week.range_label}.", text)

    @_memoized
    def briefing_page(self, briefing: Briefing) -> Page:
        path = briefing_path(briefing.week, briefing.topic.slug)
        title = f"{briefing.topic.title}: week {briefing.week.week}, {briefing.week.year}"
        lead = briefing.items[0].lead
        text = self.render(BRIEFING, path, briefing=briefing, title=title)
        return Page(path, title, f"{briefing.week.range_label}: {lead.title}", text)

    @_memoized
    def topic_page(self, topic: Topic, briefings: tuple[Briefing, ...], entity_names: frozenset[str] = frozenset()) -> Page:
        """The topic's intro, chart and archive; watch-list entities with no notes yet are not links."""
        path = topic_path(topic.slug)
        counts = {b.week: len(b.notes) for b in briefings}
        svg = chart.activity_svg(topic.title, counts)
        text = self.render(TOPIC, path, topic=topic, briefings=briefings, chart=svg, entity_names=entity_names)
        return Page(path, topic.title, topic.description, text)

    @_memoized
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

    @_memoized
    def note_header(self, note: Note, topics: tuple[Topic, ...]) -> str:
        """Markdown placed above a note's own body on its page."""
        titles = {topic.slug: topic.title for topic in topics}
        return self.render(NOTE_HEADER, note.path, note=note, topic_titles=titles)
