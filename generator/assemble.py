"""Assemble a corpus into weekly briefings, digests and entity timelines (pure data).

Every step is one pass over sorted data: no step compares every note with
every other, so the cost grows linearly with the number of notes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from generator.model import Corpus, EntityInfo, Lede, Note, Topic, hashed_once
from generator.slugs import entity_slug
from generator.weeks import IsoWeek

KEY_IMPORTANCE = 4  # items of importance 4 and 5 are a week's key developments


@hashed_once
@dataclass(frozen=True)
class Item:
    """One entry of a briefing: a single note, or every note of a story that week."""

    notes: tuple[Note, ...]  # the lead note first
    earlier: tuple[IsoWeek, ...] = ()  # earlier weeks of the same story in this topic

    @property
    def lead(self) -> Note:
        return self.notes[0]

    @property
    def story(self) -> str | None:
        return self.lead.story

    def sort_key(self) -> tuple[int, object, str, str]:
        return self.lead.sort_key()


@hashed_once
@dataclass(frozen=True)
class Briefing:
    """One topic's items in one ISO week."""

    topic: Topic
    week: IsoWeek
    items: tuple[Item, ...]
    lede: Lede | None = None
    previous: IsoWeek | None = None
    next: IsoWeek | None = None
    new_entities: tuple[str, ...] = ()

    @property
    def notes(self) -> tuple[Note, ...]:
        return tuple(note for item in self.items for note in item.notes)

    @property
    def key_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.lead.importance >= KEY_IMPORTANCE)

    @property
    def other_items(self) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.lead.importance < KEY_IMPORTANCE)

    @property
    def new_other_items(self) -> tuple[Item, ...]:
        """Minor items seen for the first time."""
        return tuple(item for item in self.other_items if not item.earlier)

    @property
    def continuing_items(self) -> tuple[Item, ...]:
        """Minor items of stories covered in earlier weeks; key ones stay among the key developments."""
        return tuple(item for item in self.other_items if item.earlier)

    @property
    def source_count(self) -> int:
        return len({note.source.name for note in self.notes})

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({note.source.language for note in self.notes}))


@hashed_once
@dataclass(frozen=True)
class DigestItem:
    """A story (or a single note) once in a week's digest, with every topic that covered it and all their sources."""

    item: Item  # every note of the story that week, across topics; the lead first
    topics: tuple[Topic, ...]  # in topic order; the item is shown under the first

    @property
    def lead(self) -> Note:
        return self.item.lead


@hashed_once
@dataclass(frozen=True)
class DigestSection:
    """One topic in a digest: its full briefing, and the items shown here for the first time."""

    briefing: Briefing
    items: tuple[DigestItem, ...]

    @property
    def topic(self) -> Topic:
        return self.briefing.topic

    @property
    def key_items(self) -> tuple[DigestItem, ...]:
        return tuple(i for i in self.items if i.lead.importance >= KEY_IMPORTANCE)

    @property
    def other_items(self) -> tuple[DigestItem, ...]:
        return tuple(i for i in self.items if i.lead.importance < KEY_IMPORTANCE)

    @property
    def shown_above(self) -> int:
        """Items of this topic's briefing already shown under an earlier topic."""
        return len(self.briefing.items) - len(self.items)


@hashed_once
@dataclass(frozen=True)
class Digest:
    """Every topic's briefing for one week, in topic order; each story printed once."""

    week: IsoWeek
    sections: tuple[DigestSection, ...]
    lede: Lede | None = None
    previous: IsoWeek | None = None
    next: IsoWeek | None = None

    @property
    def briefings(self) -> tuple[Briefing, ...]:
        return tuple(section.briefing for section in self.sections)

    @property
    def items(self) -> tuple[DigestItem, ...]:
        return tuple(item for section in self.sections for item in section.items)

    @property
    def notes(self) -> tuple[Note, ...]:
        """Every note of the week once (a note in two topics is one note)."""
        return tuple(note for item in self.items for note in item.item.notes)

    @property
    def source_count(self) -> int:
        return len({note.source.name for note in self.notes})

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(sorted({note.source.language for note in self.notes}))


@hashed_once
@dataclass(frozen=True)
class Entity:
    """An entity's timeline: the notes naming it, grouped by week, newest week first."""

    name: str
    slug: str
    weeks: tuple[tuple[IsoWeek, tuple[Note, ...]], ...]
    info: EntityInfo | None = None  # the editor's description, if any

    @property
    def count(self) -> int:
        return sum(len(notes) for _, notes in self.weeks)


@dataclass(frozen=True)
class Archive:
    """The assembled briefings: digests and each topic's briefings newest first."""

    topics: tuple[Topic, ...]
    digests: tuple[Digest, ...]
    briefings: dict[str, tuple[Briefing, ...]]
    entities: tuple[Entity, ...]
    notes: tuple[Note, ...]

    @property
    def latest(self) -> Digest | None:
        return self.digests[0] if self.digests else None


def _items(notes: list[Note]) -> list[Item]:
    """Group one topic-week's notes into items; a story is led by its most important note."""
    stories: dict[str, list[Note]] = defaultdict(list)
    items: list[Item] = []
    for note in notes:
        if note.story:
            stories[note.story].append(note)
        else:
            items.append(Item((note,)))
    for story_notes in stories.values():
        story_notes.sort(key=_note_order)
        items.append(Item(tuple(story_notes)))
    return sorted(items, key=Item.sort_key)


def _topic_briefings(topic: Topic, notes: list[Note], ledes: dict[tuple[IsoWeek, str | None], Lede]) -> list[Briefing]:
    """A topic's briefings, oldest first, with story history, neighbours and new entities."""
    by_week: dict[IsoWeek, list[Note]] = defaultdict(list)
    for note in notes:
        by_week[note.week].append(note)
    weeks = sorted(by_week)
    story_weeks: dict[str, list[IsoWeek]] = defaultdict(list)
    seen_entities: set[str] = set()
    briefings: list[Briefing] = []
    for index, week in enumerate(weeks):
        items = []
        for item in _items(by_week[week]):
            if item.story:
                items.append(Item(item.notes, tuple(story_weeks[item.story])))
            else:
                items.append(item)
        for item in items:
            if item.story:
                story_weeks[item.story].append(week)
        week_entities = sorted({e for note in by_week[week] for e in note.entities}, key=str.casefold)
        new = tuple(e for e in week_entities if e not in seen_entities)
        seen_entities.update(week_entities)
        briefings.append(
            Briefing(
                topic,
                week,
                tuple(items),
                ledes.get((week, topic.slug)),
                weeks[index - 1] if index else None,
                weeks[index + 1] if index + 1 < len(weeks) else None,
                new if index else (),  # in a topic's first week every entity is new; listing them says nothing
            )
        )
    return briefings


def _note_order(note: Note) -> tuple[int, object, str, str]:
    return note.sort_key()


def _digest_sections(briefings: list[Briefing]) -> tuple[DigestSection, ...]:
    """Each story once: under the first topic (in topic order) that has it, with every topic's sources."""
    by_key: dict[str, list[tuple[Briefing, Item]]] = defaultdict(list)
    for briefing in briefings:
        for item in briefing.items:
            by_key[item.story or item.lead.path].append((briefing, item))
    shown: set[str] = set()
    sections = []
    for briefing in briefings:
        items = []
        for item in briefing.items:
            key = item.story or item.lead.path
            if key in shown:
                continue
            shown.add(key)
            holders = by_key[key]
            notes = {note.path: note for _, held in holders for note in held.notes}
            merged = Item(tuple(sorted(notes.values(), key=_note_order)), item.earlier)
            items.append(DigestItem(merged, tuple(b.topic for b, _ in holders)))
        sections.append(DigestSection(briefing, tuple(items)))
    return tuple(sections)


def _entities(notes: tuple[Note, ...], infos: tuple[EntityInfo, ...] = ()) -> tuple[Entity, ...]:
    info_by_slug = {info.slug: info for info in infos}
    named: dict[str, list[Note]] = defaultdict(list)
    for note in notes:
        for name in note.entities:
            named[name].append(note)
    entities = []
    for name, entity_notes in named.items():
        by_week: dict[IsoWeek, list[Note]] = defaultdict(list)
        for note in entity_notes:
            by_week[note.week].append(note)
        weeks = tuple(
            (week, tuple(sorted(by_week[week], key=lambda n: (n.date, n.title.casefold(), n.path))))
            for week in sorted(by_week, reverse=True)
        )
        slug = entity_slug(name)
        entities.append(Entity(name, slug, weeks, info_by_slug.get(slug)))
    return tuple(sorted(entities, key=lambda e: (e.slug, e.name)))


def assemble(corpus: Corpus) -> Archive:
    """Turn a validated corpus into briefings, digests and entity timelines."""
    ledes = {(lede.week, lede.topic): lede for lede in corpus.ledes}
    by_topic: dict[str, list[Note]] = defaultdict(list)
    for note in corpus.notes:
        for slug in note.topics:
            by_topic[slug].append(note)
    briefings: dict[str, tuple[Briefing, ...]] = {}
    by_week: dict[IsoWeek, list[Briefing]] = defaultdict(list)
    for topic in corpus.topics:  # already in topic order
        oldest_first = _topic_briefings(topic, by_topic.get(topic.slug, []), ledes)
        briefings[topic.slug] = tuple(reversed(oldest_first))
        for briefing in oldest_first:
            by_week[briefing.week].append(briefing)
    weeks = sorted(by_week)
    digests = [
        Digest(
            week,
            _digest_sections(by_week[week]),
            ledes.get((week, None)),
            weeks[index - 1] if index else None,
            weeks[index + 1] if index + 1 < len(weeks) else None,
        )
        for index, week in enumerate(weeks)
    ]
    notes = tuple(sorted(corpus.notes, key=lambda n: (n.date, n.path)))
    return Archive(corpus.topics, tuple(reversed(digests)), briefings, _entities(notes, corpus.entities), notes)
