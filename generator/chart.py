"""A topic's activity chart: notes per ISO week as an inline SVG bar chart.

Inline SVG needs no script and nothing from a CDN, prints, and carries its own
accessible title and description.
"""

from __future__ import annotations

import html

from generator.escape import Trusted
from generator.weeks import IsoWeek

WIDTH = 720
HEIGHT = 160
MARGIN = 24


def _weeks_between(first: IsoWeek, last: IsoWeek) -> list[IsoWeek]:
    weeks = []
    day = first.monday
    while IsoWeek.of(day) <= last:
        weeks.append(IsoWeek.of(day))
        day = day.fromordinal(day.toordinal() + 7)
    return weeks


def activity_svg(title: str, counts: dict[IsoWeek, int], link: dict[IsoWeek, str] | None = None) -> Trusted:
    """Bars for every week from the first to the last with notes, empty weeks included."""
    if not counts:
        return Trusted("")
    weeks = _weeks_between(min(counts), max(counts))
    peak = max(counts.values())
    slot = (WIDTH - 2 * MARGIN) / len(weeks)
    bar = max(slot * 0.8, 1.0)
    total = sum(counts.values())
    label = html.escape(f"{title}: notes per week", quote=True)
    summary = html.escape(
        f"{total} notes over {len(weeks)} weeks, {weeks[0].label} to {weeks[-1].label}; busiest week had {peak}.", quote=True
    )
    parts = [
        f'<svg class="bf-chart" role="img" aria-labelledby="bf-chart-title bf-chart-desc" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="bf-chart-title">{label}</title>',
        f'<desc id="bf-chart-desc">{summary}</desc>',
        f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" y2="{HEIGHT - MARGIN}" class="bf-chart-axis"/>',
    ]
    usable = HEIGHT - 2 * MARGIN
    for index, week in enumerate(weeks):
        count = counts.get(week, 0)
        if not count:
            continue
        height = max(usable * count / peak, 2.0)
        x = MARGIN + index * slot + (slot - bar) / 2
        y = HEIGHT - MARGIN - height
        tip = html.escape(f"{week.label} ({week.range_label}): {count} note{'s' if count != 1 else ''}")
        rect = f'<rect class="bf-chart-bar" x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}"><title>{tip}</title></rect>'
        href = (link or {}).get(week)
        parts.append(f'<a href="{html.escape(href, quote=True)}">{rect}</a>' if href else rect)
    parts.append(f'<text x="{MARGIN}" y="{HEIGHT - 6}" class="bf-chart-label">{weeks[0].label}</text>')
    parts.append(f'<text x="{WIDTH - MARGIN}" y="{HEIGHT - 6}" text-anchor="end" class="bf-chart-label">{weeks[-1].label}</text>')
    parts.append(f'<text x="{MARGIN}" y="14" class="bf-chart-label">peak {peak}</text>')
    parts.append("</svg>")
    return Trusted("".join(parts))
