"""The wall at an instant, pure (issue 24): the frames a screen got, its view and freshness."""

from __future__ import annotations

from pathlib import Path

import pytest

from opswall.config.live import snapshot_of
from opswall.config.loader import load_config
from opswall.control.state import ActiveWarning, WallState
from opswall.feeds.contract import FeedEntry
from opswall.replay.core import Moment, freshness, rebuild, span, window
from opswall.replay.instants import parse_instant
from opswall.tiles.registry import default_registry

FIXTURES = Path(__file__).parents[1] / "fixtures"
T = 1_800_000_000_000


@pytest.fixture(scope="module")
def snapshot():  # type: ignore[no-untyped-def]
    return snapshot_of(load_config(FIXTURES / "session.yaml", default_registry()))


def entry(ms: int, value: float, asof: int | None = None) -> FeedEntry:
    return FeedEntry(f"{ms}-0", ms if asof is None else asof, {"value": value})


def moment(snapshot, state, entries, at=T, limits=None) -> Moment:  # type: ignore[no-untyped-def]
    return Moment(at, snapshot, state, entries, limits or {})


def test_an_entry_that_arrived_after_the_instant_is_not_shown(snapshot) -> None:  # type: ignore[no-untyped-def]
    """The newest value is the one the stream held at T, never a later one."""
    load = [entry(T - 2000, 1.0), entry(T - 1000, 2.0), entry(T + 1, 3.0)]
    main = snapshot.config.screen("main")
    frames = rebuild(moment(snapshot, WallState(), {"power_load": load}), main, True).frames
    data = frames[2]["entries"]
    assert [e[3]["value"] for e in data if e[0] == "power_load"] == [1.0, 2.0]
    assert frames[0] == {
        "type": "welcome",
        "rev": frames[1]["view"]["rev"],
        "now": T,
        "redis": True,
    }


def test_window_keeps_two_entries_however_old() -> None:
    """As the gateway's cache snapshot: at least the latest and the one before."""
    old = [entry(T - 600_000, 1.0), entry(T - 500_000, 2.0), entry(T - 400_000, 3.0)]
    assert [e.fields["value"] for e in window(old, T - 60_000, T)] == [2.0, 3.0]


def test_freshness_uses_the_feeds_stale_window(snapshot) -> None:  # type: ignore[no-untyped-def]
    """1 s cadence x 3: live at 2.9 s old, stale at 3.1 s, stale with no entry at all."""
    config = snapshot.config
    assert freshness(config, ["wind"], {"wind": entry(T - 2900, 1.0)}, T) == "live"
    assert freshness(config, ["wind"], {"wind": entry(T - 3100, 1.0)}, T) == "stale"
    assert freshness(config, ["wind"], {}, T) == "stale"


def test_the_takeover_in_force_then_is_the_view(snapshot) -> None:  # type: ignore[no-untyped-def]
    """A storm warning not yet acknowledged at T took the main screen over; acknowledged, not."""
    storm = ActiveWarning(
        "storm:1",
        "storm",
        "critical",
        {"en": "Storm"},
        T - 5000,
        scene="disaster",
        screens=("main",),
    )
    main = snapshot.config.screen("main")
    raised = rebuild(moment(snapshot, WallState(version=3, warnings=(storm,)), {}), main, True)
    assert raised.view.layout == "disaster-layout" and raised.view.takeover == "storm:1"
    assert raised.frames[1]["alerts"][0]["id"] == "storm:1"
    acked = WallState(version=4, warnings=(ActiveWarning(**{**storm.__dict__, "acked_by": "an"}),))
    assert rebuild(moment(snapshot, acked, {}), main, True).view.layout == "main"


def test_classified_feeds_stay_out_without_clearance(snapshot) -> None:  # type: ignore[no-untyped-def]
    """A replay gives what the gateway would have given that viewer, no more."""
    left = snapshot.config.screen("left")
    entries = {"secret_ops": [entry(T - 10, 9.0)], "wind": [entry(T - 10, 5.0)]}
    data = rebuild(moment(snapshot, WallState(), entries), left, False).frames[2]["entries"]
    assert {e[0] for e in data} == {"wind"}


def test_limits_are_said_for_feeds_without_a_value(snapshot) -> None:  # type: ignore[no-untyped-def]
    """Older than retention, no value: the limit is passed on, never a value invented."""
    main = snapshot.config.screen("main")
    found = rebuild(
        moment(snapshot, None, {}, limits={"power_load": "before_retention"}), main, True
    )
    assert found.limits == {"power_load": "before_retention"}
    assert found.state_kept is False and found.frames[2]["entries"] == []


def test_instants_parse_in_the_walls_zone() -> None:
    """A time without an offset is on the wall's clock; anything else is refused."""
    assert parse_instant("2026-11-29T15:30:00", "Asia/Ho_Chi_Minh") == parse_instant(
        "2026-11-29T08:30:00Z", "UTC"
    )
    assert parse_instant("1800000000000", "UTC") == T
    for bad in ("", "yesterday", "9" * 41):
        with pytest.raises(ValueError):
            parse_instant(bad, "UTC")


def test_a_span_stamps_each_entry_and_view_with_its_instant(snapshot) -> None:  # type: ignore[no-untyped-def]
    """Played ahead: every entry that arrived in (since, at] and the view after each version."""
    load = [entry(T - 3000, 1.0), entry(T - 1000, 2.0), entry(T + 2000, 3.0), entry(T + 6000, 4.0)]
    held = WallState(version=2, scene="economy", at_ms=T + 1000)
    found = span(
        Moment(T + 5000, snapshot, held, {"power_load": load}, {}, [(T + 1000, held)]),
        snapshot.config.screen("main"),
        True,
        T - 2000,
    )
    assert [(f["type"], f["at"]) for f in found] == [
        ("data", T - 1000),
        ("view", T + 1000),
        ("data", T + 2000),
    ]
    assert found[1]["view"]["layout"] == "economy-layout"


def test_a_span_that_reaches_a_config_revision_ends_with_it(snapshot) -> None:  # type: ignore[no-untyped-def]
    """The page reloads at the revision's instant: its layout shows then, not at a pause."""
    load = [entry(T - 1000, 1.0), entry(T + 2000, 3.0)]
    reached = Moment(T + 2999, snapshot, WallState(), {"power_load": load}, {}, (), T + 3000)
    found = span(reached, snapshot.config.screen("main"), True, T - 2000)
    assert [(f["type"], f["at"]) for f in found] == [
        ("data", T - 1000),
        ("data", T + 2000),
        ("config", T + 3000),
    ]
