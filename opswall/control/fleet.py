"""The screen fleet (issue 21), pure: what each wall page reports of itself, what state each
device is in, and how every expected screen stands. The gateway core keeps a `Fleet` for its
sockets; the web process merges what the gateway replicas published with `screen_rows`.

Times are milliseconds since the epoch, always passed in. A page's own clock is never trusted:
it reports ages (how long since its last paint), which the fleet turns into times of its own.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Generic, Literal, TypeVar

REPORT_EVERY_MS = 5000  # how often a page reports itself (the client's timer)
STALE_AFTER_MS = 3 * REPORT_EVERY_MS  # reports this late: the page's script no longer runs
NOT_PAINTING_MS = 15_000  # no frame painted for this long: the page is frozen
WRONG_GRACE_MS = 10_000  # a view switch in progress is not a wrong screen
GONE_KEPT_MS = 3_600_000  # a disconnected device is listed for an hour, then forgotten
PUBLISHED_FRESH_MS = 10_000  # a gateway replica that has not published for this long is gone
HEAP_KEPT = 24  # reports of heap kept per device: two minutes, enough to tell a climb from GC
HEAP_MOVE = 0.05  # a least-squares change over the history beyond this share: rising/falling
PANE_STATES = ("connecting", "live", "no-signal")  # a video pane's (video-panes.js)

State = Literal[
    "no_device", "disconnected", "not_painting", "wrong_screen", "old_build", "duplicated", "live"
]
STATES: tuple[State, ...] = (
    "no_device",
    "disconnected",
    "not_painting",
    "wrong_screen",
    "old_build",
    "duplicated",
    "live",
)  # worst first
DOWN: frozenset[State] = frozenset({"no_device", "disconnected", "not_painting"})  # warned of

K = TypeVar("K", bound=Hashable)  # the adapter's handle of a device's socket; opaque here


@dataclass(frozen=True)
class Report:
    """What a wall page says of itself (the protocol's `report` frame, bounded there)."""

    screen: str
    view: str = ""  # the view key it shows
    layout: str = ""
    rev: str = ""  # the config revision of its layout
    paint_age_ms: int = 0  # since its last painted frame, by its own clock
    frames: int = 0  # frames painted since its last report
    updates: int = 0  # entries applied since its last report
    errors: int = 0  # script errors since the page loaded
    heap: int | None = None  # JS heap used, bytes (Chromium only)
    viewport: tuple[int, int] = (0, 0)
    dpr: float = 1.0
    build: str = ""
    link: str = ""  # up | source-down | down
    long_tasks: int = 0  # tasks over 50 ms since its last report (where the browser tells)
    long_task_ms: int = 0  # their total duration
    panes: tuple[PaneState, ...] = ()  # its video panes


@dataclass(frozen=True)
class PaneState:
    """One video pane of a page, as its report names it."""

    tile: str
    site: str
    state: str  # one of PANE_STATES


@dataclass(frozen=True)
class Device:
    """One wall page: the token it presented (`name`), the screen its socket is for."""

    name: str
    screen: str
    connected_at: int
    left_at: int | None = None
    report: Report | None = None
    reported_at: int = 0
    mismatch_since: int | None = None  # shows another view than its screen's since then
    heaps: tuple[int, ...] = ()  # its last HEAP_KEPT heap readings, oldest first


@dataclass(frozen=True)
class Expected:
    """What the fleet judges a device against: the page build and each screen's view key."""

    build: str = ""
    views: Mapping[str, str] = field(default_factory=dict)


def device_state(device: Device, now: int, expected: Expected, crowded: bool) -> tuple[State, int]:
    """The device's state and since when (ms); `crowded`: another device shows its screen."""
    report = device.report
    if device.left_at is not None or report is None:
        return "disconnected", device.left_at or device.connected_at
    if now - device.reported_at > STALE_AFTER_MS:
        return "not_painting", device.reported_at
    painted = device.reported_at - report.paint_age_ms
    if device.reported_at - painted > NOT_PAINTING_MS:
        return "not_painting", painted
    if report.screen != device.screen:
        return "wrong_screen", device.reported_at
    if device.mismatch_since is not None and now - device.mismatch_since > WRONG_GRACE_MS:
        return "wrong_screen", device.mismatch_since
    if expected.build and report.build != expected.build:
        return "old_build", device.connected_at
    if crowded:
        return "duplicated", device.connected_at
    return "live", device.connected_at


def device_row(device: Device, now: int, expected: Expected, crowded: bool) -> dict[str, Any]:
    """A device as the fleet page and the CLI list it (JSON)."""
    state, since = device_state(device, now, expected, crowded)
    report = asdict(device.report) if device.report else None
    if report is not None:
        report["paint_at"] = device.reported_at - device.report.paint_age_ms  # type: ignore[union-attr]
    return {
        "device": device.name,
        "screen": device.screen,
        "state": state,
        "since": since,
        "connected_at": device.connected_at,
        "reported_at": device.reported_at or None,
        "report": report,
        "heap_trend": heap_trend(device.heaps),
    }


Trend = Literal["rising", "flat", "falling"]


def heap_trend(heaps: tuple[int, ...]) -> Trend | None:
    """Where the heap goes: the least-squares line through the readings, its change over the
    history against their mean (a garbage collection's saw-tooth averages out); None before
    three readings."""
    n = len(heaps)
    if n < 3:
        return None
    mean_x, mean_y = (n - 1) / 2, sum(heaps) / n
    spread = sum((x - mean_x) ** 2 for x in range(n))
    slope = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(heaps)) / spread
    change = slope * (n - 1) / mean_y if mean_y else 0.0
    if change > HEAP_MOVE:
        return "rising"
    return "falling" if change < -HEAP_MOVE else "flat"


class Fleet(Generic[K]):
    """The devices one gateway serves (by socket), and those that left, for a while. A socket
    is a device once it reports: a page framed in another (a mirror, an iframe tile) does not
    report, and is not a second device of its screen."""

    def __init__(self) -> None:
        self.live: dict[K, Device] = {}
        self.gone: dict[tuple[str, str], Device] = {}  # (device, screen) -> the last to leave

    def connect(self, key: K, name: str, screen: str, now: int) -> None:
        self.live[key] = Device(name, screen, now)
        self.gone.pop((name, screen), None)

    def disconnect(self, key: K, now: int) -> None:
        device = self.live.pop(key, None)
        if device is None or device.report is None:
            return
        if not self._shown_by(device.name, device.screen):
            self.gone[(device.name, device.screen)] = replace(device, left_at=now)

    def report(self, key: K, report: Report, now: int, expected_view: str | None) -> None:
        device = self.live.get(key)
        if device is None:
            return
        wrong = expected_view is not None and report.view != expected_view
        since = (device.mismatch_since or now) if wrong else None
        heaps = device.heaps if report.heap is None else (*device.heaps, report.heap)[-HEAP_KEPT:]
        self.live[key] = replace(
            device, report=report, reported_at=now, mismatch_since=since, heaps=heaps
        )

    def reporting(self) -> dict[K, Device]:
        """The connected devices (sockets that reported)."""
        return {key: d for key, d in self.live.items() if d.report is not None}

    def devices(self, now: int) -> list[Device]:
        """Live devices, then those gone within GONE_KEPT_MS (older ones are forgotten)."""
        self.gone = {k: d for k, d in self.gone.items() if now - (d.left_at or now) < GONE_KEPT_MS}
        return [*self.reporting().values(), *self.gone.values()]

    def rows(self, now: int, expected: Expected) -> list[dict[str, Any]]:
        devices = self.devices(now)
        return [device_row(d, now, expected, crowded(devices, d)) for d in devices]

    def _shown_by(self, name: str, screen: str) -> bool:
        return any(d.name == name and d.screen == screen for d in self.reporting().values())


def crowded(devices: Iterable[Device], device: Device) -> bool:
    """More than one connected device on the device's screen."""
    if device.left_at is not None:
        return False
    return sum(1 for d in devices if d.screen == device.screen and d.left_at is None) > 1


def worst(states: Iterable[State]) -> State:
    return min(states, key=STATES.index, default="no_device")


def merged(published: Iterable[str | bytes], now: int) -> tuple[list[dict[str, Any]], int]:
    """The devices of every gateway replica that published lately (the JSON of each), and
    since when the oldest has watched."""
    devices: list[dict[str, Any]] = []
    watched = now
    for raw in published:
        try:
            one = json.loads(raw)
            if now - int(one["at"]) > PUBLISHED_FRESH_MS:
                continue
            devices += [dict(d) for d in one["devices"]]
            watched = min(watched, int(one["watched_since"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue  # one replica's unreadable field hides only its devices
    return devices, watched


def screen_rows(
    screens: Iterable[str], devices: list[dict[str, Any]], watched_since: int
) -> list[dict[str, Any]]:
    """Every expected screen against its devices (rows from `device_row`, of every gateway),
    worst first; a screen without a device has been so since `watched_since` at least.
    Devices of screens the config no longer has are listed too, as unexpected."""
    by_screen: dict[str, list[dict[str, Any]]] = {s: [] for s in screens}
    expected = set(by_screen)
    for row in devices:
        by_screen.setdefault(row["screen"], []).append(row)
    rows = []
    for screen, mine in by_screen.items():
        mine.sort(key=lambda r: (STATES.index(r["state"]), r["device"]))
        # A screen some device shows is judged by those; one that left counts only if none is.
        shown = [r for r in mine if r["state"] != "disconnected"] or mine
        if shown:
            state, since = shown[0]["state"], shown[0]["since"]
        else:
            state, since = "no_device", watched_since
        rows.append(
            {
                "screen": screen,
                "expected": screen in expected,
                "state": state,
                "since": since,
                "devices": mine,
            }
        )
    rows.sort(key=lambda r: (STATES.index(r["state"]), r["screen"]))
    return rows


@dataclass(frozen=True)
class ScreenTransition:
    """A screen's warning raised (down longer than allowed) or cleared (back)."""

    screen: str
    kind: Literal["raise", "clear"]
    warning_id: str
    state: State = "live"

    @property
    def rule_id(self) -> str:
        return screen_rule(self.screen)


def screen_rule(screen: str) -> str:
    """The rule id a screen's warnings are listed under (no config rule has a colon)."""
    return f"screen:{screen}"


class Alarms:
    """Which screens are warned of. Like a rule, a screen starts unknown, so its first judgement
    after a start is a transition either way: a warning left from before a restart is cleared."""

    def __init__(self) -> None:
        self.active: dict[str, bool | None] = {}

    def judge(self, rows: list[dict[str, Any]], now: int, after_ms: int) -> list[ScreenTransition]:
        """`rows` from `screen_rows`: a screen down (no device, disconnected, not painting)
        for longer than `after_ms` raises; any other state clears."""
        transitions = []
        for row in rows:
            if not row["expected"]:
                continue
            screen, state = row["screen"], row["state"]
            down = state in DOWN and now - row["since"] > after_ms
            if self.active.get(screen) == down:
                continue
            if state in DOWN and not down:
                continue  # down, but not for long enough to say either way
            self.active[screen] = down
            kind: Literal["raise", "clear"] = "raise" if down else "clear"
            warning = f"{screen_rule(screen)}:{now}"
            transitions.append(ScreenTransition(screen, kind, warning, state))
        return transitions

    def forget(self, screen: str) -> None:
        """A transition could not be written: judge the screen again next time."""
        self.active[screen] = None
