"""Compose every page of the site from the assembled archive, with the templates in ``templates/``.

Templates (editors may change them) write HTML; ``generator.blocks`` turns
their output into a page body. The Jinja2 environment escapes every
``{{ value }}`` on output (``finalize``), so a front-matter value cannot reach
a page unescaped by accident; only values the generator made itself
(``Trusted``: links, sanitised HTML, SVG) pass as they are, and even those
go through the last-line sanitiser of generated markup.

Editors' Markdown (note bodies, ledes, topic intros, editors' pages) is
rendered by ``generator.markup`` and sanitised by ``generator.sanitize``;
the templates place it through ``lede_html``/``intro_html``, never raw.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import blocks, chart, head, markup, paths, schema
from generator.assemble import Archive, Briefing, Digest, Entity
from generator.escape import Trusted, escape_text, escape_url, finalize
from generator.languages import NAMES as LANGUAGE_NAMES
from generator.markup import Where
from generator.model import EditorPage, EntityInfo, Lede, Note, Topic
from generator.problems import Problem, Severity
from generator.settings import SiteConfig
from generator.site import Page, PageKind
from generator.slugs import entity_slug
from generator.weeks import IsoWeek, format_day

BUNDLED_TEMPLATES = Path(__file__).resolve().parent / "templates"
SOURCE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

DIGEST = "digest.html.j2"
BRIEFING = "briefing.html.j2"
TOPIC = "topic.html.j2"
ENTITY = "entity.html.j2"
ENTITIES = "entities.html.j2"
WEEKS = "weeks.html.j2"
HOME = "home.html.j2"
NOTE_HEADER = "note_header.html.j2"
FEED_ENTRY = "feed_entry.html.j2"
PROBLEMS = "problems.html.j2"
PROBLEMS_BANNER = "problems_banner.html.j2"
BANNER_LIMIT = 8
NEW_NOTE = "new_note.md.j2"


def template_dirs(site_templates: Path | None) -> list[Path]:
    """The site's own templates first, then the ones shipped with the package."""
    dirs = [site_templates] if site_templates and site_templates.is_dir() else []
    return dirs + [d for d in (BUNDLED_TEMPLATES, SOURCE_TEMPLATES) if d.is_dir() and d not in dirs]


def _fingerprint(dirs: list[Path]) -> list[tuple[str, int, int]]:
    """Every template file with its modification time and size."""
    found = []
    for folder in dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return found


def grade_words(source: Any) -> str:
    """An Admiralty grade in words: ``usually reliable source, information probably true``."""
    words = []
    if source.reliability:
        words.append(f"{schema.RELIABILITY_MEANING[source.reliability]} source")
    if source.credibility:
        words.append(f"information {schema.CREDIBILITY_MEANING[source.credibility]}")
    return ", ".join(words)


@dataclass
class _Fragments:
    """Editors' sanitised HTML, kept out of the template output until the generated markup is cleaned.

    The template gets a token in its place; ``blocks.parse_generated`` cleans
    the generated markup with its own allow-list, then the fragments go back
    in. (Editors' HTML has its own, different allow-list.)
    """

    nonce: str = field(default_factory=lambda: secrets.token_hex(8))
    items: list[str] = field(default_factory=list)

    def add(self, html: str) -> Markup:
        self.items.append(html)
        return Markup(f"BFFRAGMENT{self.nonce}X{len(self.items) - 1}X")

    def restore(self, text: str) -> str:
        for index, html in enumerate(self.items):
            text = text.replace(f"BFFRAGMENT{self.nonce}X{index}X", html)
        return text


class Renderer:
    """One Jinja2 environment for all pages of a site; templates are looked up by name.

    Under ``mkdocs serve`` one Renderer serves every rebuild: ``start_build``
    forgets what it rendered when a template changed, and pages whose inputs
    are the same as last time are not composed again (``remember``).
    """

    def __init__(self, config: SiteConfig, *, memoize: bool = False) -> None:
        self.config = config
        self.memoize = memoize
        self.preview_weeks: frozenset[IsoWeek] = frozenset()  # weeks whose email preview is beside their pages (serve)
        self.dirs = template_dirs(config.templates_dir)
        self._templates = _fingerprint(self.dirs)
        self._composed: dict[object, tuple[blocks.Block, ...]] = {}
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
            day=format_day,
            language=lambda code: LANGUAGE_NAMES.get(code, code),
            plural=lambda n, word: f"{n} {word}{'' if n == 1 else 's'}",
        )
        self.env.globals.update(
            digest_path=paths.digest_path,
            briefing_path=paths.briefing_path,
            briefing_path_of=lambda slug: lambda week: paths.briefing_path(week, slug),
            topic_path=paths.topic_path,
            entity_path=paths.entity_path,
            email_preview_path=paths.email_preview_path,
            ENTITIES_INDEX=paths.ENTITIES_INDEX,
            WEEKS_INDEX=paths.WEEKS_INDEX,
            grade_words=grade_words,
        )

    @classmethod
    def reuse(cls, previous: Renderer | None, config: SiteConfig) -> Renderer:
        """A Renderer for one build of several: ``previous`` if it has these settings, else a new one."""
        if previous is not None and previous.config == config and previous.dirs == template_dirs(config.templates_dir):
            return previous
        return cls(config, memoize=True)

    def start_build(self) -> None:
        """Forget pages the last build did not ask for, and everything when a template changed."""
        templates = _fingerprint(self.dirs)
        if templates != self._templates:
            self._templates = templates
            self._composed.clear()
            self.env.cache.clear()  # type: ignore[union-attr]
        for key in set(self._composed) - self._used:
            del self._composed[key]
        self._used = set()

    def remember(self, key: object, compose: Callable[[], tuple[blocks.Block, ...]]) -> tuple[blocks.Block, ...]:
        """``compose()``, or what it gave last time for the same ``key`` (frozen, comparable inputs)."""
        if not self.memoize:
            return compose()
        try:
            found = self._composed.get(key)
        except TypeError:  # an unhashable input: nothing to remember it by
            return compose()
        self._used.add(key)
        if found is None:
            found = self._composed[key] = compose()
        return found

    # -- rendering ---------------------------------------------------------------------------

    def where(self, page: str | None, known: frozenset[str]) -> Where:
        return Where(page, known, self.config.directory_urls, self.config.site_url)

    def editor_html(self, text: str, source: str, where: Where) -> str:
        """An editor's Markdown fragment as sanitised HTML, its links resolved for ``where``."""
        return markup.to_html(
            text,
            source=source,
            where=where,
            extensions=self.config.markdown_extensions,
            allow_raw_html=self.config.options.allow_raw_html,
        )

    def render(self, template: str, where: Where, **context: object) -> tuple[blocks.Block, ...]:
        """Render ``template`` for showing ``where``, as blocks."""
        fragments = _Fragments()
        ids = blocks.IdSet()

        def url(target: str) -> Trusted:
            return Trusted(where.url(target))

        def heading(level: int, inline: object) -> Markup:
            text = str(inline) if isinstance(inline, Markup) else escape_text(inline)
            return Markup(blocks.heading_line(level, text, ids))

        def title_link(note: Note) -> Markup:
            return Markup(f'<a href="{where.url(note.path)}">{escape_text(note.title)}</a>')

        def lede_html(lede: Lede) -> Markup:
            return fragments.add(self.editor_html(lede.body, lede.path, where))

        def intro_html(topic: Topic) -> Markup:
            return fragments.add(self.editor_html(topic.intro, topic.path, where))

        def background_html(info: EntityInfo) -> Markup:
            return fragments.add(self.editor_html(info.background, info.path, where))

        text = self.env.get_template(template).render(
            url=url,
            entity_url=lambda name: url(paths.entity_path(entity_slug(name))),
            heading=heading,
            title_link=title_link,
            lede_html=lede_html,
            intro_html=intro_html,
            background_html=background_html,
            **context,
        )
        parsed = blocks.parse_generated(text)
        return tuple(blocks.Html(fragments.restore(b.html)) if isinstance(b, blocks.Html) else b for b in parsed)

    # -- the pages -----------------------------------------------------------------------------

    def pages(self, archive: Archive, corpus_pages: tuple[EditorPage, ...], known: frozenset[str]) -> Iterator[Page]:
        """Every page of the site, in a stable order."""
        home = next((p for p in corpus_pages if p.path == paths.HOME), None)
        yield self.home_page(archive, home, known)
        for page in corpus_pages:
            if page.path != paths.HOME:
                yield self.editor_page(page, known)
        yield self.weeks_page(archive, known)
        for digest in archive.digests:
            yield self.digest_page(digest, known)
            for briefing in digest.briefings:
                yield self.briefing_page(briefing, known)
        with_pages = frozenset(entity.name for entity in archive.entities)
        for topic in archive.topics:
            yield self.topic_page(topic, archive.briefings.get(topic.slug, ()), with_pages, known)
        yield self.entities_page(archive, known)
        for entity in archive.entities:
            yield self.entity_page(entity, known)
        stories = _story_weeks(archive)
        titles = {topic.slug: topic.title for topic in archive.topics}
        for note in archive.notes:
            yield self.note_page(note, titles, stories.get(note.story or "", ((), 0)), known)

    def _page(
        self,
        path: str,
        kind: PageKind,
        title: str,
        description: str,
        key: object,
        compose: Callable[[], tuple[blocks.Block, ...]],
        feeds: tuple[head.FeedLink | None, ...] = (),
        **extra: Any,
    ) -> Page:
        """A page whose body is composed on first use, or taken from the last build when ``key`` is the same."""
        advertised = [head.relative(feed, path, self.config) for feed in (head.site_feed(self.config), *feeds)]
        tags = head.feed_links(advertised) + head.open_graph(path, title, description, self.config, home=kind is PageKind.HOME)
        return Page(path, kind, title, description, compose=lambda: self.remember(key, compose), head=tags, **extra)

    def digest_page(self, digest: Digest, known: frozenset[str]) -> Page:
        path = paths.digest_path(digest.week)
        title = f"Week {digest.week.week}, {digest.week.year}: digest"
        where = self.where(path, known)
        return self._page(
            path,
            PageKind.DIGEST,
            title,
            f"All topics, {digest.week.range_label}: {_leads(digest)}",
            ("digest", digest, where, digest.week in self.preview_weeks),
            lambda: self.render(DIGEST, where, digest=digest, title=title, email_preview=digest.week in self.preview_weeks),
            nav_title=f"{digest.week.label} · {digest.week.range_label}",
        )

    def briefing_page(self, briefing: Briefing, known: frozenset[str]) -> Page:
        path = paths.briefing_path(briefing.week, briefing.topic.slug)
        title = f"{briefing.topic.title}: week {briefing.week.week}, {briefing.week.year}"
        where = self.where(path, known)
        return self._page(
            path,
            PageKind.BRIEFING,
            title,
            f"{briefing.week.range_label}: {briefing.items[0].lead.title}",
            ("briefing", briefing, where, briefing.week in self.preview_weeks),
            lambda: self.render(
                BRIEFING, where, briefing=briefing, title=title, email_preview=briefing.week in self.preview_weeks
            ),
            feeds=(head.topic_feed(briefing.topic.slug, briefing.topic.title, self.config),),
        )

    def topic_page(
        self, topic: Topic, briefings: tuple[Briefing, ...], entity_names: frozenset[str], known: frozenset[str]
    ) -> Page:
        """The topic's intro, chart and archive; watch-list entities with no notes yet are not links."""
        path = paths.topic_path(topic.slug)
        where = self.where(path, known)

        def compose() -> tuple[blocks.Block, ...]:
            counts = {b.week: (len(b.items), len(b.notes)) for b in briefings}
            links = {b.week: where.url(paths.briefing_path(b.week, topic.slug)) for b in briefings}
            svg = chart.activity_svg(topic.title, counts, links)
            return self.render(TOPIC, where, topic=topic, briefings=briefings, chart=svg, entity_names=entity_names)

        return self._page(
            path,
            PageKind.TOPIC,
            topic.title,
            topic.description,
            ("topic", topic, briefings, entity_names, where),
            compose,
            source=topic.path,
            feeds=(head.topic_feed(topic.slug, topic.title, self.config),),
        )

    def entity_page(self, entity: Entity, known: frozenset[str]) -> Page:
        path = paths.entity_path(entity.slug)
        where = self.where(path, known)
        description = entity.info.description if entity.info else f"Timeline of {entity.name}: {entity.count} notes."
        return self._page(
            path,
            PageKind.ENTITY,
            entity.name,
            description,
            ("entity", entity, where),
            lambda: self.render(ENTITY, where, entity=entity),
            source=entity.info.path if entity.info else None,
        )

    def entities_page(self, archive: Archive, known: frozenset[str]) -> Page:
        where = self.where(paths.ENTITIES_INDEX, known)
        return self._page(
            paths.ENTITIES_INDEX,
            PageKind.ENTITIES,
            "Entities",
            "Every company, product, agency and person in the notes.",
            ("entities", archive.entities, where),
            lambda: self.render(ENTITIES, where, entities=archive.entities),
        )

    def weeks_page(self, archive: Archive, known: frozenset[str]) -> Page:
        where = self.where(paths.WEEKS_INDEX, known)
        return self._page(
            paths.WEEKS_INDEX,
            PageKind.WEEKS,
            "All weeks",
            "Every weekly digest, newest first.",
            ("weeks", archive.digests, where),
            lambda: self.render(WEEKS, where, digests=archive.digests),
        )

    def note_page(
        self, note: Note, topic_titles: dict[str, str], story: tuple[tuple[tuple[IsoWeek, str], ...], int], known: frozenset[str]
    ) -> Page:
        where = self.where(note.path, known)
        story_weeks, story_sources = story

        def compose() -> tuple[blocks.Block, ...]:
            header = self.render(
                NOTE_HEADER, where, note=note, topic_titles=topic_titles, story_weeks=story_weeks, story_sources=story_sources
            )
            body = self.editor_html(note.body, note.path, where)
            return header + ((blocks.Html(body),) if body.strip() else ())

        return self._page(
            note.path,
            PageKind.NOTE,
            note.title,
            note.summary,
            ("note", note, tuple(sorted(topic_titles.items())), story, where),
            compose,
            tags=note.tags,
            source=note.path,
            draft=note.draft,
        )

    def editor_page(self, page: EditorPage, known: frozenset[str]) -> Page:
        where = self.where(page.path, known)
        title = page.title or paths.stem(page.path).replace("-", " ").capitalize()

        def compose() -> tuple[blocks.Block, ...]:
            html = self.editor_html(page.body, page.path, where)
            return (blocks.Html(html),) if html.strip() else ()

        return self._page(
            page.path,
            PageKind.PAGE,
            title,
            page.description or "",
            ("page", page, where),
            compose,
            tags=page.tags,
            hide=page.hide,
            source=page.path,
        )

    def home_page(self, archive: Archive, editor: EditorPage | None, known: frozenset[str]) -> Page:
        """The editor's home page (if any), followed by the latest week and the topics."""
        where = self.where(paths.HOME, known)

        def compose() -> tuple[blocks.Block, ...]:
            own = self.editor_html(editor.body, editor.path, where) if editor else ""
            added = self.render(HOME, where, archive=archive, latest=archive.latest)
            return ((blocks.Html(own),) if own.strip() else ()) + added

        return self._page(
            paths.HOME,
            PageKind.HOME,
            (editor.title if editor and editor.title else None) or self.config.site_name,
            (editor.description if editor else None) or self.config.site_description,
            ("home", editor, archive.topics, archive.latest, tuple(archive.briefings.items()), where),
            compose,
            nav_title="Home",
            tags=editor.tags if editor else (),
            hide=editor.hide if editor else (),
            source=editor.path if editor else None,
        )

    # -- problems, under mkdocs serve --------------------------------------------------------

    def problems_page(self, path: str, problems: list[Problem], known: frozenset[str]) -> Page:
        """What a note that cannot be published would show, where it would be: its problems."""
        where = self.where(path, known)
        title = f"Not published: {paths.stem(path)}"
        docs = self.config.docs_dir.name
        return self._page(
            path,
            PageKind.PROBLEMS,
            title,
            "This note has errors.",
            ("problems", path, tuple(problems), where),
            lambda: self.render(PROBLEMS, where, title=title, problems=problems, docs_name=docs),
        )

    def problems_banner(self, problems: tuple[Problem, ...]) -> str:
        """Every problem of the site, for a banner at the top of every page (errors first, cut after a few)."""
        if not problems:
            return ""
        ordered = sorted(problems, key=lambda p: p.severity is not Severity.ERROR)
        errors = sum(p.severity is Severity.ERROR for p in problems)
        text = self.env.get_template(PROBLEMS_BANNER).render(
            shown=ordered[:BANNER_LIMIT],
            more=max(len(problems) - BANNER_LIMIT, 0),
            errors=errors,
            warnings=len(problems) - errors,
            docs_name=self.config.docs_dir.name,
        )
        return blocks.clean_generated(text)

    # -- feeds -------------------------------------------------------------------------------

    def feed_entry_html(self, known: frozenset[str], *, digest: Digest | None = None, briefing: Briefing | None = None) -> str:
        """A feed entry's content: the same items as the pages, with absolute links."""
        where = self.where(None, known)
        lede = digest.lede if digest else briefing.lede if briefing else None
        key = ("feed", digest, briefing, where)
        composed = self.remember(key, lambda: self.render(FEED_ENTRY, where, digest=digest, briefing=briefing, lede=lede))
        return blocks.to_html(composed, heading_offset=1)


def _leads(digest: Digest) -> str:
    titles = [item.lead.title for item in digest.items[:3]]
    more = len(digest.items) - len(titles)
    return "; ".join(titles) + (f"; and {more} more" if more else "")


def _story_weeks(archive: Archive) -> dict[str, tuple[tuple[tuple[IsoWeek, str], ...], int]]:
    """Each story's weeks (with the topic whose briefing to link) and its number of sources."""
    weeks: dict[str, dict[IsoWeek, str]] = {}
    sources: dict[str, set[str]] = {}
    for note in archive.notes:
        if note.story:
            weeks.setdefault(note.story, {}).setdefault(note.week, note.topics[0])
            sources.setdefault(note.story, set()).add(note.source.name)
    return {story: (tuple(sorted(found.items())), len(sources[story])) for story, found in weeks.items()}
