"""Demo reports: a plausible reporting record for the demo catalogue, written once.

About three quarters of the indicators are connected (the center's 152 of 200), most reports
arrive on time, some late, a few periods are missing, and one figure has been corrected, so the
reporting tile and the revision marks have something true to show.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, tzinfo

from opswall.indicators.catalogue import Catalogue, Indicator
from opswall.indicators.periods import bounds, due_at, last_closed, previous
from opswall.indicators.reports import NATIONAL, has_reports, submit
from opswall.store.db import Database

KNOWN = {  # the newest figures from docs/CONTEXT.md, for the indicators the demo wall shows
    "GDP_GROWTH": 8.02,
    "CPI_YOY": 3.31,
    "EXPORTS": 42.6,
    "IMPORTS": 40.1,
    "UNEMPLOYMENT": 2.2,
    "BUDGET_REV_PCT": 125.0,
    "FDI_DISB": 2.7,
    "ONLINE_RECORDS": 58.4,
    "PUBINV_DISB": 69.6,
    "CREDIT_GROWTH": 15.1,
}
CONNECTED_SHARE = 0.78
CORRECTED = ("CPI_YOY", 3.29, "Cục Thống kê cập nhật số liệu chính thức sau rà soát")


def _value(indicator: Indicator, rng: random.Random) -> float:
    if indicator.code in KNOWN:
        return round(KNOWN[indicator.code] * rng.uniform(0.97, 1.03), 2)
    if "%" in indicator.unit:
        return round(rng.uniform(2, 98), 1)
    return round(rng.lognormvariate(4, 1.2), 1)


def _submitted(
    indicator: Indicator, label: str, zone: tzinfo, rng: random.Random, late: bool
) -> datetime:
    due = due_at(indicator, label, zone)
    _, end = bounds(indicator.period, label)
    start = datetime.combine(end, datetime.min.time(), zone)
    if late:
        return due + timedelta(hours=rng.uniform(2, 96))
    span = max((due - start).total_seconds(), 3600)
    return start + timedelta(seconds=rng.uniform(0.1, 0.95) * span)


def seed_reports(db: Database, catalogue: Catalogue, zone: tzinfo, seed: int = 2025) -> int:
    """Write the demo record unless reports exist already. Returns reports written."""
    if has_reports(db):
        return 0
    rng = random.Random(seed)
    now = datetime.now(zone)
    written = 0
    for indicator in catalogue:
        if indicator.period == "ad_hoc" or rng.random() > CONNECTED_SHARE:
            continue
        area = NATIONAL if indicator.level == "national" else "01"
        label = last_closed(indicator.period, now.date())
        periods = [previous(indicator.period, previous(indicator.period, label))]
        periods.append(previous(indicator.period, label))
        fate = rng.random()
        if fate > 0.06:  # the newest period: most on time, some late, a few not in yet
            periods.append(label)
        for number, period in enumerate(periods):
            late = number == len(periods) - 1 and 0.06 < fate < 0.2
            at = _submitted(indicator, period, zone, rng, late)
            if at > now:
                continue  # a due date still ahead: submitted "today", on time
            submit(
                db,
                catalogue,
                indicator.code,
                period,
                _value(indicator, rng),
                f"{indicator.agency} (demo)",
                area=area,
                channel="demo",
                at=at.astimezone(UTC),
            )
            written += 1
    code, value, reason = CORRECTED
    corrected = catalogue.get(code)
    if corrected is not None:
        label = last_closed(corrected.period, now.date())
        submit(db, catalogue, code, label, value, "NSO (demo)", reason=reason, channel="demo")
        written += 1
    return written
