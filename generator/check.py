"""``briefing check`` as a library call: every problem of a site, or of some of its files.

The command line only prints what this returns. The problems are those a
build finds (the same ``build``, with drafts, whose pages are never composed),
so ``briefing check`` and ``mkdocs build --strict`` agree: a site that checks
clean builds strictly, and a site whose build warns has a check that says why.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator.build import build
from generator.loader import check_loose_notes, report_order
from generator.problems import Problem, Severity
from generator.settings import SiteConfig


@dataclass(frozen=True)
class CheckReport:
    problems: tuple[Problem, ...]  # paths as the reader should see them
    notes: int
    topics: int
    ledes: int

    @property
    def errors(self) -> int:
        return sum(p.severity is Severity.ERROR for p in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors


def _within(path: Path, targets: list[Path]) -> bool:
    return any(path == t or path.is_relative_to(t) for t in targets)


def _markdown_files(path: Path) -> list[Path]:
    return [path] if path.is_file() else sorted(p for p in path.rglob("*.md") if p.is_file())


def check(config: SiteConfig, targets: Sequence[Path] = (), display: Callable[[Path], str] | None = None) -> CheckReport:
    """Check the site; with ``targets``, report only on those files and folders.

    The whole site is read even then (topics, URLs and links are site-wide).
    Notes in ``targets`` outside the docs dir are checked as loose notes
    against the site's topics. ``display`` says how a path is shown
    (default: relative to the folder of mkdocs.yml).
    """
    show = display or (lambda path: _relative(path, config.root))
    # What `mkdocs build` would publish (drafts out: a lede or link that only a draft makes good is a problem
    # there); drafts are still read and checked like every note, so their own problems are reported too.
    site = build(config)
    docs = _absolute(config.docs_dir)
    resolved = [_absolute(t) for t in targets]
    inside = [t for t in resolved if t.is_relative_to(docs)]
    # A folder around the docs dir (`briefing check .`) means the site, not a pile of loose notes.
    inside += [docs for t in resolved if docs.is_relative_to(t) and t != docs]
    outside = [t for t in resolved if not t.is_relative_to(docs) and not docs.is_relative_to(t)]
    located = [
        Problem(show(config.docs_dir / p.path), p.line, p.severity, p.field, p.message)
        for p in site.problems
        if not targets or _within(_absolute(config.docs_dir / p.path), inside)
    ]
    loose_files = [(f, show(f)) for t in outside for f in _markdown_files(t)]
    loose = check_loose_notes(loose_files, {t.slug for t in site.corpus.topics})
    corpus = site.corpus
    return CheckReport(
        tuple(sorted(located, key=report_order)) + tuple(loose.problems),
        len(corpus.notes) + len(corpus.drafts) + len(corpus.rejected) + loose.count,
        len(corpus.topics),
        len(corpus.ledes),
    )


def _absolute(path: Path) -> Path:
    """Absolute and normalised, without following links (a link out of the site is reported by its own name)."""
    return Path(os.path.normpath(os.path.abspath(path)))


def _relative(path: Path, root: Path) -> str:
    return Path(os.path.relpath(_absolute(path), _absolute(root))).as_posix()
