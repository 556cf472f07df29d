"""Every page the site publishes: which pages there are, their titles, descriptions and heads, and how each is composed.

``PageMaker.all`` lists them in a stable order: the home page and editors'
pages, the weeks, each week's digest and topic briefings, the topics, the
entities, the notes. A page's body is composed only when a writer asks for
it (``site.Page.blocks``), by the ``Renderer`` and its templates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from generator import blocks, chart, head, paths
from generator.assemble import Archive, Briefing, Digest, Entity
from generator.model import EditorPage, Note, Topic
from generator.problems import Problem, Severity
from generator.render import (
    BRIEFING,
    DIGEST,
    ENTITIES,
    ENTITY,
    HOME,
    NOTE_HEADER,
    PROBLEMS,
    PROBLEMS_BANNER,
    TOPIC,
    TOPICS,
    WEEKS,
    Renderer,
)
from generator.site import Page, PageKind
from generator.weeks import IsoWeek

BANNER_LIMIT = 8


@dataclass(frozen=True)
class PageMaker:
    """Makes the pages of one build; ``known`` is every page and file of the site (links are checked against it)."""

    renderer: Renderer
    known: frozenset[str] = frozenset()

    def all(self, archive: Archive, corpus_pages: tuple[EditorPage, ...]) -> Iterator[Page]:
        """Every page of the site, in a stable order."""
        home = next((p for p in corpus_pages if p.path == paths.HOME), None)
        yield self.home_page(archive, home)
        for page in corpus_pages:
            if page.path != paths.HOME:
                yield self.editor_page(page)
        yield self.weeks_page(archive)
        for digest in archive.digests:
            yield self.digest_page(digest)
            for briefing in digest.briefings:
                yield self.briefing_page(briefing)
        with_pages = frozenset(entity.name for entity in archive.entities)
        yield self.topics_page(archive)
        for topic in archive.topics:
            yield self.topic_page(topic, archive.briefings.get(topic.slug, ()), with_pages)
        yield self.entities_page(archive)
        for entity in archive.entities:
            yield self.entity_page(entity)
        stories = _story_weeks(archive)
        titles = {topic.slug: topic.title for topic in archive.topics}
        for note in archive.notes:
            yield self.note_page(note, titles, stories.get(note.story or "", ((), 0)))

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
        advertised = [head.relative(feed, path, self.renderer.config) for feed in (head.site_feed(self.renderer.config), *feeds)]
        tags = head.feed_links(advertised) + head.open_graph(
            path, title, description, self.renderer.config, home=kind is PageKind.HOME
        )
        return Page(path, kind, title, description, compose=lambda: self.renderer.remember(key, compose), head=tags, **extra)

    def digest_page(self, digest: Digest) -> Page:
        path = paths.digest_path(digest.week)
        title = f"Week {digest.week.week}, {digest.week.year}: digest"
        where = self.renderer.where(path, self.known)
        return self._page(
            path,
            PageKind.DIGEST,
            title,
            f"All topics, {digest.week.range_label}: {_leads(digest)}",
            ("digest", digest, where, digest.week in self.renderer.preview_weeks),
            lambda: self.renderer.render(
                DIGEST, where, digest=digest, title=title, email_preview=digest.week in self.renderer.preview_weeks
            ),
            nav_title=f"{digest.week.label} · {digest.week.range_label}",
        )

    def briefing_page(self, briefing: Briefing) -> Page:
        path = paths.briefing_path(briefing.week, briefing.topic.slug)
        title = f"{briefing.topic.title}: week {briefing.week.week}, {briefing.week.year}"
        where = self.renderer.where(path, self.known)
        return self._page(
            path,
            PageKind.BRIEFING,
            title,
            f"{briefing.week.range_label}: {briefing.items[0].lead.title}",
            ("briefing", briefing, where, briefing.week in self.renderer.preview_weeks),
            lambda: self.renderer.render(
                BRIEFING, where, briefing=briefing, title=title, email_preview=briefing.week in self.renderer.preview_weeks
            ),
            feeds=(head.topic_feed(briefing.topic.slug, briefing.topic.title, self.renderer.config),),
        )

    def topic_page(self, topic: Topic, briefings: tuple[Briefing, ...], entity_names: frozenset[str]) -> Page:
        """The topic's intro, chart and archive; watch-list entities with no notes yet are not links."""
        path = paths.topic_path(topic.slug)
        where = self.renderer.where(path, self.known)

        def compose() -> tuple[blocks.Block, ...]:
            counts = {b.week: (len(b.items), len(b.notes)) for b in briefings}
            links = {b.week: where.url(paths.briefing_path(b.week, topic.slug)) for b in briefings}
            svg = chart.activity_chart(topic.title, counts, links)
            return self.renderer.render(TOPIC, where, topic=topic, briefings=briefings, chart=svg, entity_names=entity_names)

        return self._page(
            path,
            PageKind.TOPIC,
            topic.title,
            topic.description,
            ("topic", topic, briefings, entity_names, where),
            compose,
            source=topic.path,
            feeds=(head.topic_feed(topic.slug, topic.title, self.renderer.config),),
        )

    def entity_page(self, entity: Entity) -> Page:
        path = paths.entity_path(entity.slug)
        where = self.renderer.where(path, self.known)
        description = entity.info.description if entity.info else f"Timeline of {entity.name}: {entity.count} notes."
        return self._page(
            path,
            PageKind.ENTITY,
            entity.name,
            description,
            ("entity", entity, where),
            lambda: self.renderer.render(ENTITY, where, entity=entity),
            source=entity.info.path if entity.info else None,
        )

    def entities_page(self, archive: Archive) -> Page:
        where = self.renderer.where(paths.ENTITIES_INDEX, self.known)
        return self._page(
            paths.ENTITIES_INDEX,
            PageKind.ENTITIES,
            "Entities",
            "Every company, product, agency and person in the notes.",
            ("entities", archive.entities, where),
            lambda: self.renderer.render(ENTITIES, where, entities=archive.entities),
        )

    def topics_page(self, archive: Archive) -> Page:
        where = self.renderer.where(paths.TOPICS_INDEX, self.known)
        return self._page(
            paths.TOPICS_INDEX,
            PageKind.TOPICS,
            "Topics",
            "Every topic the briefings follow.",
            ("topics", archive.topics, tuple(archive.briefings.items()), where),
            lambda: self.renderer.render(TOPICS, where, archive=archive),
            nav_title="All topics",
        )

    def weeks_page(self, archive: Archive) -> Page:
        where = self.renderer.where(paths.WEEKS_INDEX, self.known)
        return self._page(
            paths.WEEKS_INDEX,
            PageKind.WEEKS,
            "All weeks",
            "Every weekly digest, newest first.",
            ("weeks", archive.digests, where),
            lambda: self.renderer.render(WEEKS, where, digests=archive.digests),
        )

    def note_page(self, note: Note, topic_titles: dict[str, str], story: tuple[tuple[tuple[IsoWeek, str], ...], int]) -> Page:
        where = self.renderer.where(note.path, self.known)
        story_weeks, story_sources = story

        def compose() -> tuple[blocks.Block, ...]:
            header = self.renderer.render(
                NOTE_HEADER,
                where,
                note=note,
                topic_titles=topic_titles,
                story_weeks=story_weeks,
                story_sources=story_sources,
            )
            body = self.renderer.editor_html(note.body, note.path, where)
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

    def editor_page(self, page: EditorPage) -> Page:
        where = self.renderer.where(page.path, self.known)
        title = page.title or paths.stem(page.path).replace("-", " ").capitalize()

        def compose() -> tuple[blocks.Block, ...]:
            html = self.renderer.editor_html(page.body, page.path, where)
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

    def home_page(self, archive: Archive, editor: EditorPage | None) -> Page:
        """The editor's home page (if any), followed by the latest week and the topics."""
        where = self.renderer.where(paths.HOME, self.known)

        def compose() -> tuple[blocks.Block, ...]:
            own = self.renderer.editor_html(editor.body, editor.path, where) if editor else ""
            added = self.renderer.render(HOME, where, archive=archive, latest=archive.latest)
            return ((blocks.Html(own),) if own.strip() else ()) + added

        return self._page(
            paths.HOME,
            PageKind.HOME,
            (editor.title if editor and editor.title else None) or self.renderer.config.site_name,
            (editor.description if editor else None) or self.renderer.config.site_description,
            ("home", editor, archive.topics, archive.latest, tuple(archive.briefings.items()), where),
            compose,
            nav_title="Home",
            tags=editor.tags if editor else (),
            hide=editor.hide if editor else (),
            source=editor.path if editor else None,
        )

    def problems_page(self, path: str, problems: list[Problem]) -> Page:
        """What a note that cannot be published would show, where it would be: its problems."""
        where = self.renderer.where(path, self.known)
        title = f"Not published: {paths.stem(path)}"
        docs = self.renderer.config.docs_dir.name
        return self._page(
            path,
            PageKind.PROBLEMS,
            title,
            "This note has errors.",
            ("problems", path, tuple(problems), where),
            lambda: self.renderer.render(PROBLEMS, where, title=title, problems=problems, docs_name=docs),
        )

    def problems_banner(self, problems: tuple[Problem, ...]) -> str:
        """Every problem of the site, for a banner at the top of every page (errors first, cut after a few).

        Problems of files other files depend on (topics, the configuration) come first among each
        severity: one broken topic makes an error in every note that lists it, which hid its own.
        """
        if not problems:
            return ""
        ordered = sorted(problems, key=lambda p: (p.severity is not Severity.ERROR, not _is_a_cause(p.path)))
        errors = sum(p.severity is Severity.ERROR for p in problems)
        text = self.renderer.env.get_template(PROBLEMS_BANNER).render(
            shown=ordered[:BANNER_LIMIT],
            more=max(len(problems) - BANNER_LIMIT, 0),
            errors=errors,
            warnings=len(problems) - errors,
            docs_name=self.renderer.config.docs_dir.name,
        )
        return blocks.clean_generated(text)


def _is_a_cause(path: str) -> bool:
    """A file whose problems make problems elsewhere: a topic, or mkdocs.yml (``../mkdocs.yml``)."""
    return path.startswith((paths.TOPICS_DIR + "/", "../"))


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
