"""Periods, due dates, the catalogue's located errors and the completeness summary: pure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from opswall.indicators.catalogue import CatalogueError, load_catalogue
from opswall.indicators.completeness import summary
from opswall.indicators.periods import (
    PeriodError,
    bounds,
    check_label,
    due_at,
    label_of,
    last_closed,
    previous,
    status,
)
from opswall.indicators.reports import Submission

ROOT = Path(__file__).resolve().parents[2]
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def test_period_labels_bounds_and_order() -> None:
    assert bounds("monthly", "2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    assert bounds("quarterly", "2026-Q3") == (date(2026, 7, 1), date(2026, 10, 1))
    assert bounds("half_yearly", "2026-H2") == (date(2026, 7, 1), date(2027, 1, 1))
    assert bounds("weekly", "2026-W01") == (date(2025, 12, 29), date(2026, 1, 5))
    assert label_of("weekly", date(2026, 11, 21)) == "2026-W47"
    assert previous("monthly", "2026-01") == "2025-12"
    assert previous("quarterly", "2026-Q1") == "2025-Q4"
    assert last_closed("monthly", date(2026, 11, 21)) == "2026-10"
    assert last_closed("yearly", date(2026, 11, 21)) == "2025"
    assert last_closed("daily", date(2026, 11, 21)) == "2026-11-20"
    with pytest.raises(PeriodError, match="not a monthly period"):
        check_label("monthly", "2026-13")
    with pytest.raises(PeriodError, match=r"like 2026-Q3"):
        check_label("quarterly", "Q3/2026")


def test_status_judges_the_first_report_against_the_due_time() -> None:
    catalogue = load_catalogue(ROOT / "catalogue/indicators.csv")
    cpi = catalogue.get("CPI_YOY")
    assert cpi is not None and cpi.due_days == 10
    due = due_at(cpi, "2026-10", HCM)
    assert due == datetime(2026, 11, 11, tzinfo=HCM)
    after_due = due + timedelta(days=2)
    assert status(cpi, "2026-10", due - timedelta(hours=1), after_due) == "on_time"
    assert status(cpi, "2026-10", due + timedelta(hours=1), after_due) == "late"
    assert status(cpi, "2026-10", None, after_due) == "missing"
    assert status(cpi, "2026-10", None, due - timedelta(days=1)) == "pending"


def test_the_demo_catalogue_holds_200_indicators_of_every_regime() -> None:
    catalogue = load_catalogue(ROOT / "catalogue/indicators.csv")
    assert len(catalogue) == 200
    assert {i.period for i in catalogue} >= {"monthly", "quarterly", "yearly", "ad_hoc"}
    assert {i.level for i in catalogue} == {"national", "province"}
    assert set(catalogue.agencies()) <= set(catalogue.agency_names)


def test_catalogue_errors_name_file_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "indicators.csv"
    path.write_text(
        "code,name_vi,name_en,unit,period,agency\n"
        "GDP,Tăng trưởng,Growth,%,quarterly,NSO\n"
        "cpi,CPI,CPI,%,monthly,NSO\n"
        "GDP,Lặp,Again,%,sometimes,NSO\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    issues = caught.value.issues
    assert any(i.startswith(f"{path}:3: code:") and "pattern" in i for i in issues)
    assert any(i.startswith(f"{path}:4: period:") and "'sometimes'" in i for i in issues)
    path.write_text("code,name,period,agency\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r":1: missing column 'name_vi'"):
        load_catalogue(path)


def test_completeness_counts_connected_and_orders_agencies_by_overdue(tmp_path: Path) -> None:
    path = tmp_path / "indicators.csv"
    path.write_text(
        "code,name_vi,name_en,period,agency\n"
        "A,A,A,monthly,MOF\nB,B,B,monthly,MOF\nC,C,C,monthly,SBV\nD,D,D,monthly,SBV\n"
        "E,E,E,ad_hoc,SBV\n",
        encoding="utf-8",
    )
    catalogue = load_catalogue(path)
    now = datetime(2026, 11, 21, 12, tzinfo=HCM)
    early = datetime(2026, 11, 3, tzinfo=UTC)
    late = datetime(2026, 11, 15, tzinfo=UTC)
    subs = [
        Submission("A", "2026-10", early, early),  # on time
        Submission("B", "2026-10", late, late),  # late (due 11 Nov)
        Submission("C", "2026-09", early, early),  # connected, but October is missing
    ]
    result = summary(catalogue, subs, now)
    assert (result["connected"], result["total"]) == (3, 5)
    assert (result["on_time"], result["late"], result["missing"]) == (1, 1, 1)
    first, second = result["agencies"]
    assert first["agency"] == "MOF" and (first["late"], first["on_time"]) == (1, 1)
    assert second["agency"] == "SBV" and second["missing"] == 1 and second["not_connected"] == 2
    assert first["last_ms"] == int(late.timestamp() * 1000)


def test_printable_strips_terminal_escapes_and_control_characters() -> None:
    """Escape sequences (CSI, OSC window titles, 8-bit CSI) vanish; other controls show as spaces."""
    from opswall.terminal import printable

    hostile = "ok\x1b[2J\x1b[1;1H\x1b]0;owned\x07 \x9b31mred\tend\r\n\x00"
    assert printable(hostile) == "ok red end   "
