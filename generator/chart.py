"""A topic's activity chart: stories per ISO week, as HTML bars the stylesheet draws.

Plain HTML, not SVG: every bar is a link to its week's briefing, and links in
SVG break Material's instant navigation (it rewrites each link's ``href``
property, which an SVG link does not have). A list of links is also what a
screen reader reads best: each bar says its week and its counts in words.
Nothing loads from elsewhere; it prints. Bars count stories, not notes: one
story echoed by six outlets is one unit (the words give both).
"""

from __future__ import annotations

import html

from generator.escape import Trusted
from generator.weeks import IsoWeek

STEPS = 20  # bar heights in twentieths of the tallest (classes bf-h-1 .. bf-h-20 in briefing.css)


def _weeks_between(first: IsoWeek, last: IsoWeek) -> list[IsoWeek]:
    weeks = []
    day = first.monday
    while IsoWeek.of(day) <= last:
        weeks.append(IsoWeek.of(day))
        day = day.fromordinal(day.toordinal() + 7)
    return weeks


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def activity_chart(title: str, counts: dict[IsoWeek, tuple[int, int]], links: dict[IsoWeek, str]) -> Trusted:
    """Bars for every week from the first to the last with notes, empty weeks included.

    ``counts`` maps a week to (stories, notes); ``links`` a week to its briefing's URL.
    """
    if not counts:
        return Trusted("")
    weeks = _weeks_between(min(counts), max(counts))
    peak = max(stories for stories, _ in counts.values())
    stories_total = sum(stories for stories, _ in counts.values())
    notes_total = sum(notes for _, notes in counts.values())
    summary = (
        f"{title}: {_count(stories_total, 'story', 'stories')} from {_count(notes_total, 'note', 'notes')} over "
        f"{_count(len(weeks), 'week', 'weeks')}, {weeks[0].label} to {weeks[-1].label}; the busiest week had {peak}."
    )
    bars = []
    for week in weeks:
        stories, notes = counts.get(week, (0, 0))
        if not stories:
            bars.append('<li class="bf-bar-slot"></li>')
            continue
        words = html.escape(
            f"{week.label} ({week.range_label}): {_count(stories, 'story', 'stories')} from {_count(notes, 'note', 'notes')}"
        )
        height = max(1, round(STEPS * stories / peak))
        href = html.escape(links[week], quote=True)
        bars.append(
            f'<li class="bf-bar-slot"><a class="bf-bar bf-h-{height}" href="{href}" title="{words}">'
            f'<span class="bf-sr">{words}</span></a></li>'
        )
    return Trusted(
        f'<div class="bf-chart" role="group" aria-label="{html.escape(summary, quote=True)}">'
        f'<p class="bf-chart-peak" aria-hidden="true">{peak}</p>'
        f'<ol class="bf-bars">{"".join(bars)}</ol>'
        f'<p class="bf-chart-axis" aria-hidden="true"><span>{weeks[0].label}</span><span>stories per week</span>'
        f"<span>{weeks[-1].label}</span></p></div>"
    )
