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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from generator import blocks, markup, paths, schema
from generator.assemble import KEY_IMPORTANCE
from generator.escape import Trusted, escape_text, escape_url, finalize
from generator.languages import NAMES as LANGUAGE_NAMES
from generator.markup import Where
from generator.model import EntityInfo, Lede, Note, Topic
from generator.settings import SiteConfig
from generator.slugs import entity_slug
from generator.weeks import IsoWeek, format_day

BUNDLED_TEMPLATES = Path(__file__).resolve().parent / "templates"
SOURCE_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

DIGEST = "digest.html.j2"
BRIEFING = "briefing.html.j2"
TOPIC = "topic.html.j2"
ENTITY = "entity.html.j2"
ENTITIES = "entities.html.j2"
TOPICS = "topics.html.j2"
WEEKS = "weeks.html.j2"
HOME = "home.html.j2"
NOTE_HEADER = "note_header.html.j2"
FEED_ENTRY = "feed_entry.html.j2"
PROBLEMS = "problems.html.j2"
PROBLEMS_BANNER = "problems_banner.html.j2"
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
        self._known: frozenset[str] = frozenset()
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
            TOPICS_INDEX=paths.TOPICS_INDEX,
            WEEKS_INDEX=paths.WEEKS_INDEX,
            grade_words=grade_words,
            KEY_IMPORTANCE=KEY_IMPORTANCE,
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

    def same_as_last(self, known: frozenset[str]) -> frozenset[str]:
        """``known`` (every path of the site), or the equal set the last build had.

        It is part of every remembered page's key (links are checked against it): keys holding the same
        set compare by identity, where equal copies compared 2,000 paths for each of 2,000 pages.
        """
        if known != self._known:
            self._known = known
        return self._known

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
