"""A topic's activity chart: stories per ISO week as an inline SVG bar chart.

Inline SVG needs no script and nothing from a CDN, prints, and carries its own
accessible title and description. Bars count stories, not notes: one story
echoed by six outlets is one bar unit (the tooltip gives both), and each bar
links to its week's briefing.
"""

from __future__ import annotations

import html

from generator.escape import Trusted
from generator.weeks import IsoWeek

WIDTH = 720
HEIGHT = 170
LEFT = 34  # room for the axis label
MARGIN = 24


def _weeks_between(first: IsoWeek, last: IsoWeek) -> list[IsoWeek]:
    weeks = []
    day = first.monday
    while IsoWeek.of(day) <= last:
        weeks.append(IsoWeek.of(day))
        day = day.fromordinal(day.toordinal() + 7)
    return weeks


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def activity_svg(title: str, counts: dict[IsoWeek, tuple[int, int]], links: dict[IsoWeek, str] | None = None) -> Trusted:
    """Bars for every week from the first to the last with notes, empty weeks included.

    ``counts`` maps a week to (stories, notes); ``links`` a week to its briefing's URL.
    """
    if not counts:
        return Trusted("")
    weeks = _weeks_between(min(counts), max(counts))
    peak = max(stories for stories, _ in counts.values())
    slot = (WIDTH - LEFT - MARGIN) / len(weeks)
    bar = max(slot * 0.8, 1.0)
    stories_total = sum(stories for stories, _ in counts.values())
    notes_total = sum(notes for _, notes in counts.values())
    label = html.escape(f"{title}: stories per week", quote=True)
    summary = html.escape(
        f"{_count(stories_total, 'story', 'stories')} from {_count(notes_total, 'note', 'notes')} over "
        f"{_count(len(weeks), 'week', 'weeks')}, {weeks[0].label} to {weeks[-1].label}; the busiest week had {peak}.",
        quote=True,
    )
    base = HEIGHT - MARGIN
    parts = [
        # No role="img": an image's children are presentational, and these bars are links (axe: nested-interactive).
        f'<svg class="bf-chart" aria-labelledby="bf-chart-title bf-chart-desc" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="bf-chart-title">{label}</title>',
        f'<desc id="bf-chart-desc">{summary}</desc>',
        f'<line x1="{LEFT}" y1="{base}" x2="{WIDTH - MARGIN}" y2="{base}" class="bf-chart-axis"/>',
        f'<line x1="{LEFT}" y1="{MARGIN}" x2="{LEFT}" y2="{base}" class="bf-chart-axis"/>',
        f'<text x="{LEFT - 6}" y="{MARGIN + 4}" text-anchor="end" class="bf-chart-label">{peak}</text>',
        f'<text x="{LEFT - 6}" y="{base}" text-anchor="end" class="bf-chart-label">0</text>',
        f'<text x="{LEFT + 4}" y="{MARGIN - 8}" class="bf-chart-label">stories per week</text>',
    ]
    usable = base - MARGIN
    for index, week in enumerate(weeks):
        stories, notes = counts.get(week, (0, 0))
        if not stories:
            continue
        height = max(usable * stories / peak, 2.0)
        x = LEFT + index * slot + (slot - bar) / 2
        y = base - height
        tip = html.escape(
            f"{week.label} ({week.range_label}): {_count(stories, 'story', 'stories')} from {_count(notes, 'note', 'notes')}"
        )
        rect = f'<rect class="bf-chart-bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}"><title>{tip}</title></rect>'
        href = (links or {}).get(week)
        parts.append(f'<a href="{html.escape(href, quote=True)}" aria-label="{tip}">{rect}</a>' if href else rect)
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 6}" class="bf-chart-label">{weeks[0].label}</text>')
    parts.append(f'<text x="{WIDTH - MARGIN}" y="{HEIGHT - 6}" text-anchor="end" class="bf-chart-label">{weeks[-1].label}</text>')
    parts.append("</svg>")
    return Trusted("".join(parts))
