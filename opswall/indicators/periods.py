"""Reporting periods: labels, ends, due dates, and whether a report came on time. Pure.

Labels: daily `2026-11-20`, weekly `2026-W47` (ISO week), monthly `2026-10`, quarterly
`2026-Q3`, half-yearly `2026-H1`, yearly `2026`. Ad hoc reports carry any label and are never due.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Literal

from opswall.indicators.catalogue import Indicator, PeriodKind

Status = Literal["on_time", "late", "missing", "pending"]

_PATTERNS: dict[str, re.Pattern[str]] = {
    "daily": re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"),
    "weekly": re.compile(r"^(\d{4})-W(\d{2})$"),
    "monthly": re.compile(r"^(\d{4})-(\d{2})$"),
    "quarterly": re.compile(r"^(\d{4})-Q([1-4])$"),
    "half_yearly": re.compile(r"^(\d{4})-H([12])$"),
    "yearly": re.compile(r"^(\d{4})$"),
}
EXAMPLES = {
    "daily": "2026-11-20",
    "weekly": "2026-W47",
    "monthly": "2026-10",
    "quarterly": "2026-Q3",
    "half_yearly": "2026-H1",
    "yearly": "2026",
}


class PeriodError(ValueError):
    pass


def _months_after(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def bounds(kind: PeriodKind, label: str) -> tuple[date, date]:
    """The period's first day and the day after its last."""
    if kind == "ad_hoc":
        raise PeriodError("ad hoc reports have no period bounds")
    match = _PATTERNS[kind].match(label)
    if not match:
        raise PeriodError(f"'{label}' is not a {kind} period (like {EXAMPLES[kind]})")
    year, *rest = (int(g) for g in match.groups())
    try:
        if kind == "daily":
            start = date(year, rest[0], rest[1])
            return start, start + timedelta(days=1)
        if kind == "weekly":
            start = date.fromisocalendar(year, rest[0], 1)
            return start, start + timedelta(days=7)
        if kind == "monthly":
            start = date(year, rest[0], 1)
            return start, _months_after(start, 1)
    except ValueError:
        raise PeriodError(f"'{label}' is not a {kind} period (like {EXAMPLES[kind]})") from None
    months = {"quarterly": 3, "half_yearly": 6, "yearly": 12}[kind]
    start = date(year, 1 + (rest[0] - 1) * months if rest else 1, 1)
    return start, _months_after(start, months)


def check_label(kind: PeriodKind, label: str) -> str:
    if kind == "ad_hoc":
        if not label.strip() or len(label) > 40:
            raise PeriodError("an ad hoc report needs a short period label (at most 40 chars)")
        return label.strip()
    bounds(kind, label)
    return label


def label_of(kind: PeriodKind, day: date) -> str:
    """The label of the period that contains `day`."""
    if kind == "daily":
        return day.isoformat()
    if kind == "weekly":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    if kind == "monthly":
        return f"{day.year}-{day.month:02d}"
    if kind == "quarterly":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    if kind == "half_yearly":
        return f"{day.year}-H{1 if day.month <= 6 else 2}"
    if kind == "yearly":
        return str(day.year)
    raise PeriodError("ad hoc reports have no calendar period")


def previous(kind: PeriodKind, label: str) -> str:
    start, _ = bounds(kind, label)
    return label_of(kind, start - timedelta(days=1))


def last_closed(kind: PeriodKind, today: date) -> str:
    """The newest period that has ended by `today`: the one reports are now expected for."""
    return previous(kind, label_of(kind, today))


def due_at(indicator: Indicator, label: str, zone: tzinfo) -> datetime:
    """End of the due day: `due_days` after the period ends, local time."""
    _, end = bounds(indicator.period, label)
    return datetime.combine(end + timedelta(days=indicator.due_days), time(), zone)


def status(
    indicator: Indicator, label: str, first_submitted: datetime | None, now: datetime
) -> Status:
    """How the first report of a period stands against its due time."""
    if indicator.period == "ad_hoc":
        return "on_time" if first_submitted else "pending"
    zone = now.tzinfo
    assert zone is not None, "compare aware datetimes"
    due = due_at(indicator, label, zone)
    if first_submitted is not None:
        return "on_time" if first_submitted <= due else "late"
    return "missing" if now > due else "pending"
