"""Build the whole site: load → assemble → render → one ``Site``, which every writer only writes.

``build`` is the one place the pipeline is put together. The MkDocs plugin,
``briefing export``, ``briefing check`` and ``briefing email`` all call it
(check and email need no page bodies, and pages compose their bodies only
when a writer asks, so they pay for none).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from pathlib import Path

from generator import editorfiles, feeds, leftout, markup, paths
from generator.assemble import Archive, assemble
from generator.email.compose import Edition, EmailRenderer, email_html, preview_path
from generator.email.settings import Config, EmailSettings, SettingsError, email_settings
from generator.head import site_wide
from generator.loader import ParseCache, load_site, report_order
from generator.model import Corpus
from generator.pages import PageMaker
from generator.problems import Problem, error, warning
from generator.render import Renderer
from generator.settings import SiteConfig
from generator.site import NavItem, Page, Site, StaticFile
from generator.weeks import IsoWeek

PACKAGE = Path(__file__).resolve().parent
STYLESHEET_SOURCE = PACKAGE / "assets" / "briefing.css"
THEME_DIR = PACKAGE / "theme"


def build(
    config: SiteConfig,
    *,
    include_drafts: bool = False,
    cache: ParseCache | None = None,
    renderer: Renderer | None = None,
    explain_problems: bool = False,
    email_previews: bool = False,
) -> Site:
    """Everything the site publishes, from the files under ``config.docs_dir``.

    Drafts are validated always, published only with ``include_drafts``
    (``mkdocs serve``). Notes are parsed once; under ``mkdocs serve`` the
    plugin passes the same ``cache`` and ``renderer`` to every rebuild, so
    only what changed is parsed and composed again. ``explain_problems`` (also
    for ``mkdocs serve``) puts the problems where an editor looks: a banner for
    every page, and a page listing a rejected note's problems at its address;
    ``email_previews`` adds the email edition of the latest weeks beside their
    pages (``weeks/<week>/email.html``), linked from them.
    """
    renderer = renderer or Renderer(config)
    renderer.start_build()
    corpus = load_site(config.docs_dir, include_drafts=include_drafts, cache=cache)
    archive = assemble(corpus)
    email_settings, email_problems = _email_settings(config)
    preview_weeks = frozenset(d.week for d in archive.digests[: config.options.recent_weeks]) if email_previews else frozenset()
    renderer.preview_weeks = preview_weeks if email_settings is not None else frozenset()
    generated = _generated_files(archive, config)
    # Page paths first (cheap: no page is composed yet), so that every link can be checked against them.
    first = list(PageMaker(renderer).all(archive, corpus.pages))
    shadowed = _shadowed(corpus, first, generated, config.directory_urls) + _refused_files(corpus, config)
    hidden = {problem.path for problem in shadowed}
    editor_pages = tuple(page for page in corpus.pages if page.path not in hidden)
    editor_files = [path for path in corpus.static if path not in hidden]
    known = renderer.same_as_last(
        frozenset(p.path for p in first if p.path not in hidden) | frozenset(editor_files) | frozenset(f.path for f in generated)
    )
    maker = PageMaker(renderer, known)
    pages = tuple(maker.all(archive, editor_pages))
    if explain_problems:
        pages += _problem_pages(corpus, maker, {p.path for p in pages})
    files = (
        StaticFile(paths.STYLESHEET, STYLESHEET_SOURCE.read_bytes),
        *feeds.build_feeds(archive, config, renderer, known),
        *(StaticFile(path, source=config.docs_dir / path) for path in editor_files),
        *(_email_previews(archive, renderer.preview_weeks, email_settings, config) if email_settings else ()),
    )
    problems = (
        corpus.problems
        + _unused_ledes(corpus, archive)
        + _missing_bottom_line(corpus, archive)
        + _broken_links(corpus, known)
        + _left_out_html(corpus, config)
        + _unknown_entities(corpus, archive)
        + shadowed
        + _no_site_url(config)
        + email_problems
    )
    problems = tuple(sorted(problems, key=report_order))
    return Site(
        config=config,
        corpus=corpus,
        archive=archive,
        pages=pages,
        nav=navigation(archive, pages, config.options.recent_weeks),
        files=files,
        problems=problems,
        theme_dir=THEME_DIR,
        head=site_wide(config),
        banner=maker.problems_banner(problems) if explain_problems else "",
    )


def _problem_pages(corpus: Corpus, maker: PageMaker, taken: set[str]) -> tuple[Page, ...]:
    """A page at the address of each note that cannot be published, saying why."""
    by_path: dict[str, list[Problem]] = {}
    for problem in corpus.problems:
        by_path.setdefault(problem.path, []).append(problem)
    return tuple(
        maker.problems_page(path, by_path.get(path, []))
        for path in corpus.rejected
        if path.endswith(".md") and path not in taken and paths.unsafe_name(path) is None
    )


def _generated_files(archive: Archive, config: SiteConfig) -> list[StaticFile]:
    """The files the generator publishes besides pages, by path (their bytes come later)."""
    found = [StaticFile(paths.STYLESHEET)]
    if config.site_url:
        found.append(StaticFile(paths.SITE_FEED))
        found += [StaticFile(paths.topic_feed_path(t.slug)) for t in archive.topics]
    return found


def navigation(archive: Archive, pages: tuple[Page, ...], recent_weeks: int) -> tuple[NavItem, ...]:
    """Home, the weeks (all weeks first, then the latest), the topics, the entities, then editors' own pages.

    Never one entry per note: Material renders the whole navigation into every
    page, so that would make the build quadratic in the number of notes.
    """
    by_path = {page.path: page for page in pages}
    weeks = tuple(
        NavItem(by_path[paths.digest_path(d.week)].nav_title or "", paths.digest_path(d.week))
        for d in archive.digests[:recent_weeks]
    )
    items = [
        NavItem("Home", paths.HOME),
        NavItem("Weeks", children=(NavItem("All weeks", paths.WEEKS_INDEX), *weeks)),
        NavItem(
            "Topics",
            children=(
                NavItem("All topics", paths.TOPICS_INDEX),
                *(NavItem(t.title, paths.topic_path(t.slug)) for t in archive.topics),
            ),
        ),
        NavItem("Entities", paths.ENTITIES_INDEX),
    ]
    items += [NavItem(page.title, page.path) for page in pages if page.kind.value == "page"]
    return tuple(items)


def _unused_ledes(corpus: Corpus, archive: Archive) -> tuple[Problem, ...]:
    """A lede for a week (or topic-week) with no notes would never be shown: say so."""
    weeks = {digest.week for digest in archive.digests}
    topic_weeks = {(b.week, slug) for slug, briefings in archive.briefings.items() for b in briefings}
    return tuple(
        warning(
            lede.path, 1, "", f"no notes in {lede.week.label}{' for ' + lede.topic if lede.topic else ''}; this lede is not shown"
        )
        for lede in corpus.ledes
        if (lede.topic is None and lede.week not in weeks) or (lede.topic and (lede.week, lede.topic) not in topic_weeks)
    )


def _missing_bottom_line(corpus: Corpus, archive: Archive) -> tuple[Problem, ...]:
    """A site that writes ledes should have one for its latest week: readers see that one first.

    (A site that writes none is not nagged.)
    """
    latest = archive.latest
    if latest is None or latest.lede is not None or not any(lede.topic is None for lede in corpus.ledes):
        return ()
    path = paths.lede_path(latest.week)
    return (warning(path, 1, "", f"the latest week, {latest.week.label}, has no bottom line: write it in {path}"),)


def _editor_markdown(corpus: Corpus) -> list[tuple[str, str, int]]:
    """Every fragment of Markdown an editor wrote that the site converts: (file, text, its first line)."""
    sources: list[tuple[str, str, int]] = [(n.path, n.body, n.body_line) for n in corpus.notes]
    sources += [(lede.path, lede.body, lede.body_line) for lede in corpus.ledes]
    sources += [(t.path, t.intro, t.body_line) for t in corpus.topics]
    sources += [(p.path, p.body, p.body_line) for p in corpus.pages]
    sources += [(e.path, e.background, e.body_line) for e in corpus.entities]
    return sources


def _left_out_html(corpus: Corpus, config: SiteConfig) -> tuple[Problem, ...]:
    """Tags, attributes and links of editors' Markdown that the sanitiser leaves out (none with allow_raw_html)."""
    if config.options.allow_raw_html:
        return ()
    extensions = config.markdown_extensions
    return tuple(p for path, text, line in _editor_markdown(corpus) for p in leftout.left_out(text, path, line, extensions))


def _broken_links(corpus: Corpus, known: frozenset[str]) -> tuple[Problem, ...]:
    """Links in editors' Markdown to files of the site that do not exist (MkDocs warns about them too)."""
    problems = []
    for path, text, line in _editor_markdown(corpus):
        if "](" not in text and "]:" not in text:
            continue  # no link at all: the common case, checked without a scan
        for link in markup.relative_links(text, path, line):
            if link.path not in known:
                problems.append(
                    warning(
                        path,
                        link.line,
                        "",
                        f"link to '{link.target}' points to {link.path}, which is not a page or file of the site",
                    )
                )
    return tuple(problems)


def _unknown_entities(corpus: Corpus, archive: Archive) -> tuple[Problem, ...]:
    named = {entity.slug for entity in archive.entities}
    return tuple(
        warning(info.path, 1, "", f"no note names an entity whose page is entities/{info.slug}/; this description is not shown")
        for info in corpus.entities
        if info.slug not in named
    )


def _shadowed(corpus: Corpus, pages: list[Page], generated: list[StaticFile], directory_urls: bool) -> tuple[Problem, ...]:
    """Editors' pages and files that a page or a generated file would replace."""
    generated_keys = {paths.url_key(p.path): p.path for p in pages if p.source is None}
    generated_keys.update({f.path: f.path for f in generated})
    # An editor's file where an engine writes a page (notes/2025/x/index.html for notes/2025/x.md).
    written = {paths.output_file(p.path, directory_urls).casefold(): p.path for p in pages}
    found = [(p.path, paths.url_key(p.path)) for p in corpus.pages] + [(path, path) for path in corpus.static]
    return tuple(
        warning(path, 1, "", f"the site generates {generated_keys[key]} at this address; this file is not published")
        for path, key in found
        if key in generated_keys
    ) + tuple(
        warning(path, 1, "", f"the page {written[path.casefold()]} is written to this file's address; this file is not published")
        for path in corpus.static
        if path not in generated_keys and path.casefold() in written
    )


def _refused_files(corpus: Corpus, config: SiteConfig) -> tuple[Problem, ...]:
    """Editors' files a browser would run scripts from (``generator.editorfiles``), unless the site allows raw HTML."""
    if config.options.allow_raw_html:
        return ()
    found = []
    for path in corpus.static:
        try:
            why = editorfiles.refusal(path, (config.docs_dir / path).read_bytes)
        except OSError as exc:
            why = f"cannot read file: {exc.strerror}"
        if why is not None:
            found.append(error(path, 1, "", why))
    return tuple(found)


CONFIG_PROBLEM_PATH = "../mkdocs.yml"  # problems' paths are relative to the docs dir, which mkdocs.yml sits beside


def _no_site_url(config: SiteConfig) -> tuple[Problem, ...]:
    if config.site_url:
        return ()
    return (
        warning(
            CONFIG_PROBLEM_PATH,
            1,
            "site_url",
            "no site_url, so no feeds: they need absolute links (https://owner.github.io/repo/)",
        ),
    )


def _email_settings(config: SiteConfig) -> tuple[EmailSettings | None, tuple[Problem, ...]]:
    """The email edition's settings, and what is wrong with them (a strict build fails on a typo there)."""
    if not config.site_url:
        return None, ()
    try:
        return email_settings(Config.of(config)), ()
    except SettingsError as exc:
        return None, tuple(warning(CONFIG_PROBLEM_PATH, 1, "email", line.split(": error: ", 1)[-1]) for line in exc.problems)


def _email_previews(
    archive: Archive, weeks: frozenset[IsoWeek], settings: EmailSettings, config: SiteConfig
) -> Iterator[StaticFile]:
    """Each of the latest weeks' email, digest and topic editions, as a file beside its page (``mkdocs serve``)."""
    renderer = EmailRenderer(config.templates_dir)
    for digest in archive.digests:
        if digest.week in weeks:
            editions: tuple[Edition, ...] = (digest, *digest.briefings)
            for edition in editions:
                yield StaticFile(preview_path(edition), partial(_preview, edition, settings, renderer))


def _preview(edition: Edition, settings: EmailSettings, renderer: EmailRenderer) -> bytes:
    return email_html(edition, settings, settings.url, renderer=renderer).encode("utf-8")
