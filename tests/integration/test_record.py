"""Indicator reports and feed history on SQLite and PostgreSQL: revisions never edits, history
recorded once, read back (downsampled for long windows), dropped only by retention."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from opswall.feeds.contract import FeedEntry
from opswall.history.store import count, insert_ignoring, load, prune, row_of
from opswall.indicators.catalogue import load_catalogue
from opswall.indicators.reports import ReportError, current, revisions, submit
from opswall.store.db import AppendOnlyError, Database
from opswall.store.schema import HistoryPoint, IndicatorReport

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = load_catalogue(ROOT / "catalogue/indicators.csv")


def test_a_correction_is_a_new_revision_with_a_reason(db: Database) -> None:
    first = submit(db, CATALOGUE, "CPI_YOY", "2026-10", 3.31, "NSO")
    assert first.revision == 1
    with pytest.raises(ReportError, match="already has revision 1: a correction needs a reason"):
        submit(db, CATALOGUE, "CPI_YOY", "2026-10", 3.29, "NSO")
    fixed = submit(db, CATALOGUE, "CPI_YOY", "2026-10", 3.29, "NSO", reason="official figure")
    assert fixed.revision == 2
    submit(db, CATALOGUE, "CPI_YOY", "2026-09", 3.1, "NSO")
    story = revisions(db, "CPI_YOY", period="2026-10")
    assert [(r.revision, r.value, r.reason) for r in story] == [
        (1, 3.31, ""),
        (2, 3.29, "official figure"),
    ]
    found = current(db, "CPI_YOY")
    assert found is not None
    newest, before = found
    assert (newest.period, newest.value, newest.revision) == ("2026-10", 3.29, 2)
    assert before is not None and (before.period, before.value) == ("2026-09", 3.1)


def test_reports_are_checked_against_the_catalogue(db: Database) -> None:
    with pytest.raises(ReportError, match="unknown indicator 'NOPE'"):
        submit(db, CATALOGUE, "NOPE", "2026-10", 1, "x")
    with pytest.raises(ReportError, match="not a quarterly period"):
        submit(db, CATALOGUE, "GDP_GROWTH", "2026-10", 8.0, "x")
    with pytest.raises(ReportError, match="reported nationally"):
        submit(db, CATALOGUE, "GDP_GROWTH", "2026-Q3", 8.0, "x", area="01")
    with pytest.raises(ReportError, match="finite"):
        submit(db, CATALOGUE, "GDP_GROWTH", "2026-Q3", float("inf"), "x")


def test_a_recorded_figure_cannot_be_changed_or_removed_in_place(db: Database) -> None:
    submit(db, CATALOGUE, "GDP_GROWTH", "2026-Q3", 8.02, "NSO")
    with pytest.raises(AppendOnlyError), db.session() as session:
        row = session.scalars(select(IndicatorReport)).one()
        row.value = 9.99  # make the figure look better
    with pytest.raises(AppendOnlyError), db.session() as session:
        session.delete(session.scalars(select(IndicatorReport)).one())
    for statement in (
        "UPDATE indicator_reports SET value = 9.99",
        "DELETE FROM indicator_reports",
    ):
        with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
            connection.execute(text(statement))
    assert [r.value for r in revisions(db, "GDP_GROWTH")] == [8.02]


def entry(ms: int, seq: int = 0, value: float = 1.0) -> FeedEntry:
    return FeedEntry(f"{ms}-{seq}", ms, {"value": value, "site": "01"})


def test_history_is_recorded_once_and_never_changed(db: Database) -> None:
    rows = [row_of("load", entry(1_800_000_000_000 + i * 1000, value=i)) for i in range(10)]
    assert insert_ignoring(db, rows) == 10
    assert insert_ignoring(db, [*rows[5:], row_of("load", entry(1_800_000_010_000))]) == 1
    assert count(db, ["load"]) == 11
    with pytest.raises(AppendOnlyError), db.session() as session:
        session.scalars(select(HistoryPoint)).first().value = 99.0  # type: ignore[union-attr]
    with pytest.raises(DBAPIError, match="never updated"), db.engine.begin() as connection:
        connection.execute(text("UPDATE history_points SET value = 99"))
    # Retention may drop old rows (that is not an edit).
    assert prune(db, "load", 1_800_000_005_000) == 5
    assert count(db, ["load"]) == 6


def test_history_reads_back_a_window_or_downsamples_a_long_one(db: Database) -> None:
    start = 1_800_000_000_000
    insert_ignoring(db, [row_of("load", entry(start + i * 1000, value=i)) for i in range(3000)])
    tail = load(db, "load", start + 2990 * 1000)
    assert [e.fields["value"] for e in tail] == [float(i) for i in range(2990, 3000)]
    assert tail[0].id == f"{start + 2990 * 1000}-0" and tail[0].fields["site"] == "01"
    before = load(db, "load", start + 2990 * 1000, before_id=f"{start + 2995 * 1000}-0")
    assert [e.fields["value"] for e in before] == [float(i) for i in range(2990, 2995)]
    # Nothing in the window: still the newest two, so a KPI has its value and its change.
    assert [e.fields["value"] for e in load(db, "load", start + 10**9)] == [2998.0, 2999.0]
    wide = load(db, "load", start, max_points=100)
    assert 95 <= len(wide) <= 101
    assert wide[0].fields["downsampled_s"] == 30.0
    assert wide[0].fields["value"] == pytest.approx(14.5)  # the mean of 0..29
    assert [e.asof_ms for e in wide] == sorted(e.asof_ms for e in wide)


def test_submission_times_keep_their_zone(db: Database) -> None:
    at = datetime(2026, 11, 5, 3, 0, tzinfo=UTC)
    submit(db, CATALOGUE, "EXPORTS", "2026-10", 42.6, "MOIT", at=at)
    [report] = revisions(db, "EXPORTS")
    assert report.submitted_at == at


@pytest.mark.parametrize(
    ("area", "reason", "refusal"),
    [
        ("__proto__", "", "area: '__proto__' is not 'national' or a province code"),
        ("99", "", "area: '99' is not 'national' or a province code"),
        ("0" * 100_000, "", "area: '0000000000000000...' is not 'national'"),
        ("01", "x" * 501, "reason: at most 500 characters (got 501)"),
        ("01", "fixed\x1b[2J", "reason: control characters are not allowed"),
    ],
)
def test_a_report_area_and_reason_are_bounded(
    db: Database, area: str, reason: str, refusal: str
) -> None:
    """A report's area is `national` or a province code of the map's shapes; its reason is
    at most 500 plain characters."""
    with pytest.raises(ReportError) as refused:
        submit(db, CATALOGUE, "GRDP_GROWTH", "2026-Q3", 7.1, "NSO", area=area, reason=reason)
    assert str(refused.value).startswith(refusal)
    assert revisions(db, "GRDP_GROWTH", area[:16]) == []
    assert submit(db, CATALOGUE, "GRDP_GROWTH", "2026-Q3", 7.1, "NSO", area="01").revision == 1


def test_the_cli_prints_stored_text_without_terminal_escapes(db: Database) -> None:
    """A reason stored with escape sequences (by an older version, or straight into the
    database) reaches the operator's terminal stripped."""
    from io import StringIO

    from opswall.cli.records import indicators_history

    with db.session() as session:
        session.add(
            IndicatorReport(
                code="CPI_YOY",
                area="national",
                period="2026-10",
                revision=1,
                value=3.3,
                submitted_at=datetime(2026, 11, 1, tzinfo=UTC),
                submitted_by="NSO\x1b]0;owned\x07",
                reason="see\x1b[2J\x1b[1;1Hnote\x9b31m",
                channel="api",
            )
        )
    out = StringIO()
    assert indicators_history(db, "CPI_YOY", "national", None, out) == 0
    printed = out.getvalue()
    assert "\x1b" not in printed and "\x9b" not in printed and "\x07" not in printed
    assert printed.splitlines()[1].endswith("NSO — seenote")
