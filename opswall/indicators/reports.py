"""Submitting and reading indicator reports. A correction is a new revision, never an edit."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from opswall.errors import OpswallError
from opswall.indicators.areas import NATIONAL as NATIONAL
from opswall.indicators.areas import area_problem
from opswall.indicators.catalogue import Catalogue
from opswall.indicators.periods import PeriodError, check_label
from opswall.store.db import Database
from opswall.store.schema import IndicatorReport

MAX_REASON = 500
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # read back on terminals and pages


class ReportError(OpswallError):
    """A report that cannot be accepted; the message says why."""


@dataclass(frozen=True)
class Report:
    code: str
    area: str
    period: str
    revision: int
    value: float
    submitted_at: datetime
    submitted_by: str
    reason: str
    channel: str

    @classmethod
    def of(cls, row: IndicatorReport) -> Report:
        return cls(
            row.code,
            row.area,
            row.period,
            row.revision,
            row.value,
            _aware(row.submitted_at),
            row.submitted_by,
            row.reason,
            row.channel,
        )


def submit(
    db: Database,
    catalogue: Catalogue,
    code: str,
    period: str,
    value: float,
    by: str,
    *,
    area: str = NATIONAL,
    reason: str = "",
    channel: str = "api",
    at: datetime | None = None,
) -> Report:
    """Record a figure. The first for (code, area, period) is revision 1; any later one is a
    correction and must say why. Two submitters racing both land, as consecutive revisions."""
    indicator = catalogue.get(code)
    if indicator is None:
        raise ReportError(f"unknown indicator '{code}'")
    try:
        period = check_label(indicator.period, period)
    except PeriodError as exc:
        raise ReportError(str(exc)) from None
    if not math.isfinite(value):
        raise ReportError("value must be a finite number")
    problem = area_problem(area) or reason_problem(reason)
    if problem:
        raise ReportError(problem)
    if area != NATIONAL and indicator.level == "national":
        raise ReportError(f"'{code}' is reported nationally, not per area")
    for _ in range(5):
        try:
            with db.session() as session:
                latest = session.scalar(
                    select(func.max(IndicatorReport.revision)).where(
                        IndicatorReport.code == code,
                        IndicatorReport.area == area,
                        IndicatorReport.period == period,
                    )
                )
                if latest and not reason.strip():
                    raise ReportError(
                        f"{code} {area} {period} already has revision {latest}: a correction "
                        "needs a reason"
                    )
                row = IndicatorReport(
                    code=code,
                    area=area,
                    period=period,
                    revision=(latest or 0) + 1,
                    value=value,
                    submitted_at=at or datetime.now(UTC),
                    submitted_by=by,
                    reason=reason.strip(),
                    channel=channel,
                )
                session.add(row)
            return Report.of(row)
        except IntegrityError:
            continue  # another revision landed first: take the next number
    raise ReportError("too many concurrent corrections; try again")


def reason_problem(reason: str) -> str | None:
    if len(reason) > MAX_REASON:
        return f"reason: at most {MAX_REASON} characters (got {len(reason)})"
    if _CONTROL.search(reason):
        return "reason: control characters are not allowed"
    return None


def revisions(
    db: Database, code: str, area: str = NATIONAL, period: str | None = None
) -> list[Report]:
    """Every revision, oldest first: the full story of a figure."""
    query = select(IndicatorReport).where(
        IndicatorReport.code == code, IndicatorReport.area == area
    )
    if period is not None:
        query = query.where(IndicatorReport.period == period)
    with db.session() as session:
        rows = session.scalars(query.order_by(IndicatorReport.period, IndicatorReport.revision))
        return [Report.of(r) for r in rows]


def current(
    db: Database, code: str, area: str = NATIONAL, as_of: datetime | None = None
) -> tuple[Report, Report | None] | None:
    """The current revision of the newest reported period, and the previous period's; with
    `as_of`, as they were then (the time machine, issue 24: rows submitted later left out)."""
    known = [IndicatorReport.code == code, IndicatorReport.area == area]
    if as_of is not None:
        known.append(IndicatorReport.submitted_at <= as_of)
    with db.session() as session:
        periods = session.scalars(
            select(IndicatorReport.period)
            .where(*known)
            .group_by(IndicatorReport.period)
            .order_by(IndicatorReport.period.desc())
            .limit(2)
        ).all()
        found = []
        for period in periods:
            row = session.scalars(
                select(IndicatorReport)
                .where(*known, IndicatorReport.period == period)
                .order_by(IndicatorReport.revision.desc())
                .limit(1)
            ).one()
            found.append(Report.of(row))
    if not found:
        return None
    return found[0], (found[1] if len(found) > 1 else None)


@dataclass(frozen=True)
class Submission:
    """When a period's figure first arrived (what on-time is judged by), and the newest."""

    code: str
    period: str
    first_at: datetime
    last_at: datetime


def submissions(db: Database) -> list[Submission]:
    """Per indicator and period, over every area (a province-level indicator counts as
    reported once any province has reported it)."""
    with db.session() as session:
        rows = session.execute(
            select(
                IndicatorReport.code,
                IndicatorReport.period,
                func.min(IndicatorReport.submitted_at),
                func.max(IndicatorReport.submitted_at),
            ).group_by(IndicatorReport.code, IndicatorReport.period)
        ).all()
    return [
        Submission(code, period, _aware(first), _aware(last)) for code, period, first, last in rows
    ]


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every time stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def has_reports(db: Database) -> bool:
    with db.session() as session:
        return session.scalar(select(func.count()).select_from(IndicatorReport)) != 0
