"""One build of a site's generated pages: load, assemble, render. Shared by every front end."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator.assemble import Site, assemble
from generator.loader import ParseCache, load_site
from generator.model import Corpus
from generator.problems import Problem, warning
from generator.render import Page, Renderer


@dataclass(frozen=True)
class Build:
    corpus: Corpus
    site: Site
    pages: tuple[Page, ...]

    @property
    def problems(self) -> tuple[Problem, ...]:
        return self.corpus.problems + _unused_ledes(self.corpus, self.site)


def _unused_ledes(corpus: Corpus, site: Site) -> tuple[Problem, ...]:
    """A lede for a week (or topic-week) with no notes would never be shown: say so."""
    weeks = {digest.week for digest in site.digests}
    topic_weeks = {(b.week, slug) for slug, briefings in site.briefings.items() for b in briefings}
    return tuple(
        warning(
            lede.path, 1, "", f"no notes in {lede.week.label}{' for ' + lede.topic if lede.topic else ''}; this lede is not shown"
        )
        for lede in corpus.ledes
        if (lede.topic is None and lede.week not in weeks) or (lede.topic and (lede.week, lede.topic) not in topic_weeks)
    )


def build(docs_dir: Path, renderer: Renderer, *, include_drafts: bool = False, cache: ParseCache | None = None) -> Build:
    renderer.start_build()
    corpus = load_site(docs_dir, include_drafts=include_drafts, cache=cache)
    site = assemble(corpus)
    return Build(corpus, site, tuple(renderer.pages(site)))
