"""The screen fleet in the gateway core, no Redis and no sockets (issue 21): reports bounded at
the protocol, each device's state derived from its reports and the clock, screens expected
against devices, screen warnings raised and cleared, operators' commands reaching only the
screens they name, and old pages reloaded one at a time."""

from __future__ import annotations

import json
from typing import Any

import pytest

from opswall.auth.principals import Principal
from opswall.auth.scopes import TokenKind, TokenScope
from opswall.control.fleet import (
    NOT_PAINTING_MS,
    STALE_AFTER_MS,
    Report,
    ScreenTransition,
    merged,
)
from opswall.gateway.core import GatewayCore
from opswall.gateway.effects import Reply
from opswall.gateway.fleet import COMMAND_TTL_MS, UPDATE_SPACING_MS, Published
from opswall.gateway.protocol import (
    REPORT_PANES,
    REPORT_TEXT,
    Hello,
    ProtocolError,
    Subscribe,
    parse_client_frame,
)
from opswall.gateway.screens import Peer
from opswall.keys import SCREEN_CMD
from tests.unit.test_gateway_core import NOW, Link, config, deliver, reply

BUILD = "b1"
PANE = {"tile": "cam", "site": "hanoi", "state": "live"}
DOWN_AFTER = 60_000  # the fixture's wall.screen_down_after, default


def device(n: int, screen: str = "*") -> Principal:
    return Principal(f"device:{n}", "viewer", False, screen, TokenScope(TokenKind.SCREEN, screen))


def core_at(now: int = NOW) -> GatewayCore[Link]:
    core: GatewayCore[Link] = GatewayCore(config(), build=BUILD)
    deliver(core.seed_control(None, None, now, at=0.5))
    deliver(core.take([Reply(slot, [], 1.0) for slot in core.read_groups()], now))
    deliver(core.refresh_views(now))
    return core


def join(core: GatewayCore[Link], screen: str, who: Principal, now: int = NOW) -> Peer[Link]:
    link = Link(screen)
    joined = core.join(link, screen, who, Hello("", {}), now)
    core.opening(joined, {}, now)
    core.backlog(joined.peer)
    core.backlog(joined.peer)
    link.frames.clear()
    return joined.peer


def good(core: GatewayCore[Link], screen: str, **changes: Any) -> Report:
    fields: dict[str, Any] = {"screen": screen, "view": core.board.view_keys()[screen]}
    fields |= {"build": BUILD, "paint_age_ms": 100, "link": "up", "viewport": (1920, 1080)}
    return Report(**(fields | changes))


def states(core: GatewayCore[Link], now: int) -> dict[tuple[str, str], str]:
    effects = deliver(core.fleet_tick(now))
    assert effects.fleet is not None
    return {(d["device"], d["screen"]): d["state"] for d in effects.fleet.devices}


def test_a_report_frame_is_parsed_and_a_subscription_still_is() -> None:
    """A page's report is read into its typed form; `sub` frames are unchanged."""
    frame = {"type": "report", "screen": "main", "view": "k", "paint_age": 40, "frames": 3}
    frame |= {"heap": 12_000_000, "viewport": [1920, 1080], "dpr": 1.5, "link": "up"}
    report = parse_client_frame(json.dumps(frame))
    assert isinstance(report, Report)
    assert report.paint_age_ms == 40 and report.viewport == (1920, 1080) and report.dpr == 1.5
    assert isinstance(parse_client_frame('{"type": "sub", "feeds": []}'), Subscribe)


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("screen", "", "report.screen"),
        ("screen", "x" * (REPORT_TEXT + 1), "report.screen"),
        ("screen", "a\x00b", "screen: control character"),
        ("screen", "a\u2028b", "report.screen: control characters"),
        ("view", ["nested"], "report.view"),
        ("frames", -1, "report.frames"),
        ("frames", 1e308, "report.frames"),
        ("frames", True, "report.frames"),
        ("errors", "3", "report.errors"),
        ("heap", 2**60, "report.heap"),
        ("viewport", [1, 2, 3], "report.viewport"),
        ("viewport", [-1, 5], "report.w"),
        ("dpr", 0, "report.dpr"),
        ("dpr", 1e308, "report.dpr"),
        ("link", "sideways", "report.link"),
        ("long_tasks", -1, "report.long_tasks"),
        ("long_task_ms", 1.5, "report.long_task_ms"),
        ("panes", {"cam": "live"}, "report.panes"),
        ("panes", [PANE] * (REPORT_PANES + 1), "report.panes"),
        ("panes", ["live"], "report.panes"),
        ("panes", [PANE | {"state": "exploded"}], "report.panes"),
        ("panes", [PANE | {"site": "x" * (REPORT_TEXT + 1)}], "report.site"),
        ("panes", [PANE | {"tile": 5}], "report.tile"),
    ],
)
def test_a_hostile_report_is_refused_with_the_field_at_fault(
    field: str, value: Any, reason: str
) -> None:
    """Each field out of its bounds is refused by name; nothing else is raised."""
    frame = {"type": "report", "screen": "main", field: value}
    with pytest.raises(ProtocolError, match=reason.replace(".", r"\.")):
        parse_client_frame(json.dumps(frame))


@pytest.mark.parametrize(
    "frame",
    ['{"type": "report"}', '{"type": "report", "screen": 5}', "[" * 5000, '{"type": "report",'],
)
def test_reports_that_are_not_reports_are_refused(frame: str) -> None:
    with pytest.raises(ProtocolError):
        parse_client_frame(frame)


def test_a_reporting_device_is_live_and_one_that_stops_reporting_is_not_painting() -> None:
    """Live while its reports come; not painting once they are STALE_AFTER_MS late."""
    core = core_at()
    peer = join(core, "main", device(1))
    deliver(core.report(peer, good(core, "main"), NOW))
    assert states(core, NOW + 1000) == {("device:1", "main"): "live"}
    assert states(core, NOW + STALE_AFTER_MS + 1) == {("device:1", "main"): "not_painting"}


def test_a_page_that_reports_but_paints_nothing_is_not_painting() -> None:
    """Its script runs (reports come) but no frame was painted for NOT_PAINTING_MS."""
    core = core_at()
    peer = join(core, "main", device(1))
    deliver(core.report(peer, good(core, "main", paint_age_ms=NOT_PAINTING_MS + 1), NOW))
    assert states(core, NOW) == {("device:1", "main"): "not_painting"}


def test_old_build_wrong_screen_and_duplicated_are_told_apart() -> None:
    """An old page build, a page showing another screen's view for longer than the grace, and
    two devices on one screen each get their own state; a person's page is no device."""
    core = core_at()
    old = join(core, "main", device(1))
    wrong = join(core, "second", device(2))
    a, b = join(core, "main", device(3)), join(core, "main", device(4))
    join(core, "main", Principal("leader", "leader"))
    deliver(core.report(old, good(core, "main", build="b0"), NOW))
    deliver(core.report(wrong, good(core, "second", view="other"), NOW))
    for peer in (a, b):
        deliver(core.report(peer, good(core, "main"), NOW))
    deliver(core.report(wrong, good(core, "second", view="other"), NOW + 11_000))
    got = states(core, NOW + 11_000)
    assert got[("device:1", "main")] == "old_build"
    assert got[("device:2", "second")] == "wrong_screen"
    assert got[("device:3", "main")] == got[("device:4", "main")] == "duplicated"
    assert len(got) == 4


def test_a_device_that_leaves_is_disconnected_since_then_and_back_when_it_returns() -> None:
    core = core_at()
    peer = join(core, "main", device(1))
    deliver(core.report(peer, good(core, "main"), NOW))
    core.leave(peer, NOW + 5)
    effects = deliver(core.fleet_tick(NOW + 10))
    assert effects.fleet is not None
    [row] = effects.fleet.devices
    assert (row["state"], row["since"]) == ("disconnected", NOW + 5)
    back = join(core, "main", device(1), NOW + 20)
    deliver(core.report(back, good(core, "main"), NOW + 20))
    assert states(core, NOW + 20) == {("device:1", "main"): "live"}


def screen_warnings(effects: Any) -> list[tuple[str, str, str]]:
    return [
        (t.screen, t.kind, t.state) for t in effects.transitions if isinstance(t, ScreenTransition)
    ]


def test_a_screen_down_longer_than_allowed_raises_its_warning_and_clears_when_back() -> None:
    """No warning while a screen is down for less than wall.screen_down_after; raised after;
    cleared once its device paints again; screens never seen raise for having no device."""
    core = core_at()
    peer = join(core, "main", device(1))
    deliver(core.report(peer, good(core, "main"), NOW))
    first = screen_warnings(deliver(core.fleet_tick(NOW)))
    assert ("main", "clear", "live") in first and not [w for w in first if w[1] == "raise"]
    core.leave(peer, NOW + 1000)
    assert screen_warnings(deliver(core.fleet_tick(NOW + DOWN_AFTER))) == []
    raised = screen_warnings(deliver(core.fleet_tick(NOW + DOWN_AFTER + 1001)))
    assert ("main", "raise", "disconnected") in raised
    assert ("second", "raise", "no_device") in raised
    assert screen_warnings(deliver(core.fleet_tick(NOW + DOWN_AFTER + 3000))) == []
    back = join(core, "main", device(1), NOW + DOWN_AFTER + 4000)
    deliver(core.report(back, good(core, "main"), NOW + DOWN_AFTER + 4000))
    cleared = screen_warnings(deliver(core.fleet_tick(NOW + DOWN_AFTER + 4000)))
    assert cleared == [("main", "clear", "live")]


def test_a_screen_warning_not_written_is_judged_again() -> None:
    core = core_at()
    join(core, "main", device(1))
    deliver(core.fleet_tick(NOW))
    core.fleet_tick(NOW + DOWN_AFTER + 1)
    core.transition_failed("screen:second")
    again = screen_warnings(deliver(core.fleet_tick(NOW + DOWN_AFTER + 2)))
    assert again == [("second", "raise", "no_device")]


def command(core: GatewayCore[Link], at: int, **fields: str) -> None:
    deliver(core.take([reply(SCREEN_CMD, [(f"{at}-0", fields)])], NOW))


def test_identify_and_reload_reach_only_the_screens_they_name() -> None:
    """identify: the screen's own id and the device's label, on that screen's sockets only;
    reload of one screen or of all; a command older than its time to live is dropped."""
    core = core_at()
    main, second = join(core, "main", device(1)), join(core, "second", device(2))
    framed = join(core, "main", device(1))  # a mirror of main in a tile: it never reports
    for peer in (main, second):
        deliver(core.report(peer, good(core, peer.screen), NOW))
    labels = json.dumps({"device:1": "PC sảnh"})
    command(core, NOW, command="identify", screen="main", labels=labels)
    assert main.link.frames == [
        {"type": "identify", "screen": "main", "device": "PC sảnh", "for_ms": 10_000, "now": NOW}
    ]
    assert second.link.frames == []
    command(core, NOW, command="reload", screen="second")
    assert (main.link.kinds(), second.link.kinds()) == (["identify"], ["reload"])
    command(core, NOW, command="reload", screen="*")
    assert (main.link.kinds(), second.link.kinds()) == (["identify", "reload"], ["reload"] * 2)
    command(core, NOW - COMMAND_TTL_MS - 1, command="reload", screen="*")
    command(core, NOW, command="shutdown", screen="*")
    assert len(main.link.frames) == 2 and len(second.link.frames) == 2
    assert framed.link.frames == []


def test_a_socket_that_never_reports_is_no_device() -> None:
    """A page framed in another (a mirror, an iframe tile) does not report: it is neither a
    second device of its screen nor, once gone, a disconnected one."""
    core = core_at()
    shown = join(core, "main", device(1))
    deliver(core.report(shown, good(core, "main"), NOW))
    framed = join(core, "main", device(1))
    assert states(core, NOW + 1) == {("device:1", "main"): "live"}
    core.leave(framed, NOW + 2)
    assert states(core, NOW + 3) == {("device:1", "main"): "live"}


def test_pages_of_an_old_build_are_reloaded_one_at_a_time() -> None:
    """One old page is asked to reload per UPDATE_SPACING_MS, never all at once."""
    core = core_at()
    peers = [join(core, "main", device(n)) for n in range(3)]
    for peer in peers:
        deliver(core.report(peer, good(core, "main", build="b0"), NOW))
    deliver(core.fleet_tick(NOW))
    asked = [p for p in peers if p.link.kinds() == ["reload"]]
    assert len(asked) == 1 and asked[0].link.frames[0]["reason"] == "build"
    deliver(core.fleet_tick(NOW + UPDATE_SPACING_MS - 1))
    assert sum(len(p.link.frames) for p in peers) == 1
    core.leave(asked[0], NOW + 1)
    deliver(core.fleet_tick(NOW + UPDATE_SPACING_MS))
    assert sum(len(p.link.frames) for p in peers) == 2


def test_warnings_judge_the_devices_other_gateway_replicas_serve() -> None:
    """A screen whose device another replica serves (as that replica published it) is not
    warned of by this one; a replica's stale or unreadable publication counts for nothing."""
    other = core_at()
    peer = join(other, "second", device(2))
    deliver(other.report(peer, good(other, "second"), NOW))
    published = deliver(other.fleet_tick(NOW)).fleet
    assert published is not None
    stale = Published(NOW - 60_000, BUILD, published.devices, NOW - 60_000)
    others = merged([published.json(), stale.json(), "{not json", b'{"at": "x"}'], NOW)
    assert len(others[0]) == 1
    core = core_at()
    mine = join(core, "main", device(1))
    deliver(core.report(mine, good(core, "main"), NOW))
    deliver(core.fleet_tick(NOW, others))
    later = NOW + DOWN_AFTER + 1
    deliver(core.report(mine, good(core, "main"), later))
    raised = screen_warnings(deliver(core.fleet_tick(later, others)))
    assert ("second", "raise", "no_device") not in raised
    assert {w[0] for w in raised if w[1] == "raise"} == {"third", "fourth"}
