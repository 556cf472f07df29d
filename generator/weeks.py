"""ISO 8601 weeks: Monday to Sunday, numbered within the ISO week-year.

Total over every date ``briefing check`` accepts (``schema.MIN_DATE`` to
``schema.MAX_DATE``) and beyond: labels are zero-padded to four digits
(``0999-W52``) so they parse back, and day names do not depend on the locale.
Only the week that holds 9999-12-31 cannot be represented whole (it ends in
year 10000); the validator keeps far from it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

_LABEL = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, order=True)
class IsoWeek:
    """A week such as 2025-W01, which runs from Monday 2024-12-30 to Sunday 2025-01-05."""

    year: int
    week: int

    @classmethod
    def of(cls, day: dt.date) -> IsoWeek:
        year, week, _ = day.isocalendar()
        return cls(year, week)

    @classmethod
    def parse(cls, label: str) -> IsoWeek | None:
        """``2025-W37`` to a week, or None when the label is not a real ISO week."""
        match = _LABEL.match(label)
        if not match:
            return None
        year, week = int(match[1]), int(match[2])
        try:
            monday = dt.date.fromisocalendar(year, week, 1)
        except ValueError:
            return None
        return cls.of(monday)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    @property
    def monday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 7)

    @property
    def range_label(self) -> str:
        """``8–14 Sep 2025``, ``29 Sep – 5 Oct 2025``, ``29 Dec 2025 – 4 Jan 2026``."""
        return _range_label(self.year, self.week)

    def __str__(self) -> str:
        return self.label


@lru_cache(maxsize=8192)  # pages repeat the same weeks and days; strftime is slow
def _range_label(year: int, week: int) -> str:
    start, end = dt.date.fromisocalendar(year, week, 1), dt.date.fromisocalendar(year, week, 7)
    if start.year != end.year:
        return f"{format_day(start)} – {format_day(end)}"
    if start.month != end.month:
        return f"{start.day} {_MONTHS[start.month - 1]} – {format_day(end)}"
    return f"{start.day}–{format_day(end)}"


@lru_cache(maxsize=8192)
def format_day(day: dt.date) -> str:
    """The one date format readers see: ``11 Sep 2025`` (English month names whatever the locale)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
