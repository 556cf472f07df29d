"""The typed model: notes, topics and ledes as loaded and validated from disk."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import TypeVar

from generator.problems import Problem
from generator.weeks import IsoWeek

T = TypeVar("T")


def hashed_once(cls: type[T]) -> type[T]:
    """A frozen dataclass whose hash (that of its compared fields, as the dataclass's own) is computed once.

    Notes, briefings and digests are the keys under which ``mkdocs serve`` keeps
    composed pages; hashing them afresh walked every nested note for every key
    (a fifth of a rebuild at 1,000 notes).
    """
    names = tuple(f.name for f in fields(cls) if f.compare)  # type: ignore[arg-type]

    def __hash__(self: object) -> int:
        cached: int | None = self.__dict__.get("_hash")
        if cached is None:
            cached = hash(tuple(getattr(self, name) for name in names))
            object.__setattr__(self, "_hash", cached)
        return cached

    cls.__hash__ = __hash__  # type: ignore[method-assign,assignment]
    return cls


@hashed_once
@dataclass(frozen=True)
class Source:
    name: str
    url: str
    language: str = "en"
    published: dt.date | None = None
    author: str | None = None
    reliability: str | None = None
    credibility: int | None = None
    archived_url: str | None = None

    @property
    def grade(self) -> str:
        """The Admiralty grade as written, e.g. ``B2``; empty when not graded."""
        return f"{self.reliability or ''}{self.credibility or ''}"


@hashed_once
@dataclass(frozen=True)
class Note:
    """One source note. ``path`` is relative to the docs dir, with forward slashes."""

    path: str
    title: str
    date: dt.date
    topics: tuple[str, ...]
    source: Source
    summary: str
    body: str = ""
    original_title: str | None = None
    entities: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    importance: int = 3
    confidence: str | None = None
    story: str | None = None
    draft: bool = False
    body_line: int = 1  # the file line the body starts on, for problems found in it

    @property
    def week(self) -> IsoWeek:
        return IsoWeek.of(self.date)

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1].removesuffix(".md")

    def sort_key(self) -> tuple[int, dt.date, str, str]:
        """Importance (high first), then date, then title; the path breaks any tie."""
        return (-self.importance, self.date, self.title.casefold(), self.path)


@hashed_once
@dataclass(frozen=True)
class Topic:
    slug: str
    path: str
    title: str
    description: str
    intro: str = ""
    entities: tuple[str, ...] = ()
    order: int = 100
    body_line: int = 1

    def sort_key(self) -> tuple[int, str]:
        return (self.order, self.slug)


@hashed_once
@dataclass(frozen=True)
class Lede:
    """An editor's bottom line up front for a week, or for one topic in a week."""

    path: str
    week: IsoWeek
    topic: str | None
    body: str
    watch: tuple[str, ...] = ()
    body_line: int = 1


@dataclass(frozen=True)
class EditorPage:
    """A page an editor writes by hand (the home page, a reading guide): published as written, sanitised."""

    path: str
    title: str | None  # from front matter, else the body's first heading, else None
    description: str | None
    body: str
    tags: tuple[str, ...] = ()
    hide: tuple[str, ...] = ()  # Material's page options: navigation, toc, footer
    body_line: int = 1


@hashed_once
@dataclass(frozen=True)
class EntityInfo:
    """An editor's words on an entity (``entities/<slug>.md``), shown above its timeline."""

    path: str
    slug: str
    description: str
    background: str = ""  # Markdown
    body_line: int = 1


@dataclass(frozen=True)
class Corpus:
    """Everything loaded from a site: the valid content and every problem found."""

    notes: tuple[Note, ...]
    topics: tuple[Topic, ...]
    ledes: tuple[Lede, ...] = ()
    pages: tuple[EditorPage, ...] = ()
    static: tuple[str, ...] = ()  # other files editors keep in the docs dir (images, CNAME), published as they are
    entities: tuple[EntityInfo, ...] = ()
    problems: tuple[Problem, ...] = field(default=())
    rejected: tuple[str, ...] = ()  # paths of notes left out because of errors
    drafts: tuple[str, ...] = ()  # paths of valid drafts left out (mkdocs build; mkdocs serve shows them)
