"""Reporting completeness: how much of the catalogue is connected, and who reports on time.

Pure: give it the catalogue, the submissions and the time; it returns the summary the
`reporting` tile shows (written to a feed stream by the runner).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

from opswall import clock
from opswall.indicators.catalogue import Catalogue
from opswall.indicators.periods import last_closed, status
from opswall.indicators.reports import Submission

STATUSES = ("on_time", "late", "missing", "pending")


def summary(catalogue: Catalogue, submissions: list[Submission], now: datetime) -> dict[str, Any]:
    """Per connected indicator (one with any report), judge the newest closed period; count
    by agency and overall."""
    by_code: dict[str, dict[str, Submission]] = defaultdict(dict)
    for sub in submissions:
        by_code[sub.code][sub.period] = sub
    today = now.date()
    totals: Counter[str] = Counter()
    agencies: dict[str, Counter[str]] = defaultdict(Counter)
    last_at: dict[str, datetime] = {}
    connected = 0
    for indicator in catalogue:
        reported = by_code.get(indicator.code, {})
        if not reported:  # not connected yet: the headline counts it, the states do not
            agencies[indicator.agency]["not_connected"] += 1
            continue
        connected += 1
        newest = max(s.last_at for s in reported.values())
        if indicator.agency not in last_at or newest > last_at[indicator.agency]:
            last_at[indicator.agency] = newest
        if indicator.period == "ad_hoc":
            state = "on_time" if reported else "pending"
        else:
            period = last_closed(indicator.period, today)
            found = reported.get(period)
            state = status(indicator, period, found.first_at if found else None, now)
        totals[state] += 1
        agencies[indicator.agency][state] += 1
    rows: list[dict[str, Any]] = [
        {
            "agency": agency,
            "name_vi": catalogue.agency_names[agency].get("vi")
            if agency in catalogue.agency_names
            else agency,
            "name_en": catalogue.agency_names[agency].get("en")
            if agency in catalogue.agency_names
            else agency,
            **{s: counts[s] for s in STATUSES},
            "not_connected": counts["not_connected"],
            "total": sum(counts.values()),
            "last_ms": clock.epoch_ms(last_at[agency]) if agency in last_at else None,
        }
        for agency, counts in sorted(agencies.items())
    ]
    rows.sort(key=lambda r: (-(int(r["late"]) + int(r["missing"])), str(r["agency"])))
    return {
        "connected": connected,
        "total": len(catalogue),
        **{s: totals[s] for s in STATUSES},
        "agencies": rows,
    }
