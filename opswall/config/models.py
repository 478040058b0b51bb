"""Frozen, typed models of a wall config (version 1).

Tile models are not listed here: each tile type brings its own (see `opswall.tiles`), and the
registry builds the final `WallConfig` class with a union of them discriminated on `type`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    model_validator,
)

from opswall import keys
from opswall.config.feed_sources import Source
from opswall.config.hardware import Hardware, Length
from opswall.config.panels import Panels
from opswall.config.primitives import (
    IDENTIFIER,
    LOCALES,
    Duration,
    Frozen,
    Identifier,
    Locale,
    Text,
    TimeZoneName,
    parse_duration,
)
from opswall.config.video import Site

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ClockTime = Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")]


class ScreenCare(Frozen):
    """Burn-in care for panels that show one picture for days (issue 21): the whole canvas
    moves a few pixels now and then, and it is dimmed at night (the wall's clock)."""

    shift_px: int = Field(0, ge=0, le=20, description="how far the canvas moves; 0: never")
    shift_every: Duration = Field(600.0, description="how often it moves")
    night_from: ClockTime | None = Field(None, description="HH:MM the night dimming starts")
    night_to: ClockTime | None = Field(None, description="HH:MM it ends (next day if not after)")
    night_dim: float = Field(0.6, gt=0.0, le=1.0, description="brightness at night (1: as by day)")


class Wall(Frozen):
    name: Text
    locale: Locale = "vi"
    theme: Literal["dark", "light"] = "dark"
    timezone: TimeZoneName = "Asia/Ho_Chi_Minh"
    stale_after: float = Field(3.0, gt=1.0, description="a tile is stale after this many cadences")
    default_scene: Identifier | None = Field(None, description="the scene shown when none is held")
    stream_shards: int = Field(
        0,
        ge=0,
        le=1024,
        description="0: feed streams are feed:<id>; N: feed:{s<k>}:<id>, spread over N hash "
        "slots of a Redis Cluster (k from the feed id)",
    )
    viewing_distance: Length | None = Field(
        None, description="from how far the wall is read, e.g. 5m (for `opswall check --render`)"
    )
    hardware: Hardware = Field(
        default_factory=Hardware, description="every screen's size, unless the screen says"
    )
    care: ScreenCare = Field(default_factory=ScreenCare, description="burn-in care")
    panels: Panels | None = Field(
        None, description="the physical wall: its grid of panels, their pixels and bezels"
    )
    screen_down_after: Duration = Field(
        60.0,
        description="a screen with no device, or whose device stopped painting or left, for "
        "this long raises a warning (issue 21)",
    )
    replay_keep: Duration = Field(
        90 * 86400.0,
        description="how long the wall state versions a replay needs are kept (issue 24); "
        "feeds keep their entries for their own history.keep",
    )


class History(Frozen):
    """What the database keeps of a feed's entries (charts and KPIs survive restarts)."""

    record: bool = Field(True, description="write every entry to the history database")
    keep: Duration = Field(90 * 86400.0, description="drop recorded entries older than this")


class Feed(Frozen):
    id: Identifier
    label: Text
    unit: str | None = None
    stream: str | None = Field(
        None, min_length=1, description="defaults to feed:<id> (see wall.stream_shards)"
    )
    cadence: Duration
    stale_after: float | None = Field(None, gt=1.0, description="overrides wall.stale_after")
    source: Source
    classified: bool = Field(False, description="never sent to a screen or panel without clearance")
    history: History = History()

    @property
    def stream_key(self) -> str:
        return self.stream or keys.feed_stream(self.id)

    def stale_window(self, wall_stale_after: float) -> float:
        """Seconds after which the feed's newest entry is stale: its cadence times its own
        `stale_after`, else the wall's. The one place the window is computed: the page's
        freshness (`stale_ms`) and the health page (late, then silent) both take it from here."""
        return self.cadence * (self.stale_after or wall_stale_after)


class Grid(Frozen):
    cols: int = Field(ge=1, le=48)
    rows: int = Field(ge=1, le=48)


class At(Frozen):
    col: int = Field(ge=1)
    row: int = Field(ge=1)
    w: int = Field(1, ge=1)
    h: int = Field(1, ge=1)

    def cells(self) -> set[tuple[int, int]]:
        return {
            (c, r)
            for c in range(self.col, self.col + self.w)
            for r in range(self.row, self.row + self.h)
        }


class FeedBinding(Frozen):
    """A tile (or one series of it) reading one field of one feed."""

    feed: Identifier
    field: str = Field("value", min_length=1)


class TileBase(Frozen):
    """What every tile type has; each type subclasses this with `type: Literal[...]`."""

    id: Identifier
    type: str
    at: At
    title: Text | None = None
    locale: Locale | None = None  # this tile in the other language (labels, numbers, dates)
    follows: Identifier | None = None  # a scene variable (e.g. province) the tile highlights
    classified: bool = False  # shown only on screens and panels with clearance

    def bindings(self) -> tuple[tuple[tuple[str | int, ...], FeedBinding], ...]:
        """The feeds this tile reads, each with its path inside the tile (for error marks)."""
        return ()

    def history_seconds(self) -> float:
        """How far back a screen needs this tile's feeds on connect (0: the latest only)."""
        return 0.0

    def site_refs(self) -> tuple[tuple[tuple[str | int, ...], str], ...]:
        """The sites (bridge points, cameras) this tile plays, each with its path in the tile."""
        return ()


def look_back(tiles: Iterable[TileBase]) -> dict[str, float]:
    """Feed id -> how far back (seconds) the longest look of any of `tiles` reading it goes: the
    one place the per-feed look-back is computed, for what a screen is sent on connect and what
    a page keeps of each feed."""
    seconds: dict[str, float] = {}
    for tile in tiles:
        for _, binding in tile.bindings():
            seconds[binding.feed] = max(seconds.get(binding.feed, 0.0), tile.history_seconds())
    return seconds


class RotationStep(Frozen):
    scene: Identifier
    dwell: Duration


class ScheduleWindow(Frozen):
    """A scene a screen shows at set hours, or a time it is dimmed or dark (issue 21), on the
    wall's clock. A window whose `to` is not after its `from` runs past midnight into the next
    day; `days` are the days it starts on. A leader's scene or focus, and an alert takeover,
    win over it."""

    days: tuple[Weekday, ...] = Field(WEEKDAYS, min_length=1)
    start: ClockTime = Field(alias="from", description="HH:MM, the wall's time zone")
    end: ClockTime = Field(alias="to", description="HH:MM; not after `from`: the next day")
    scene: Identifier | None = None
    mode: Literal["dim", "off"] | None = Field(
        None, description="dim: wall.care.night_dim's brightness; off: dark (instead of a scene)"
    )

    @model_validator(mode="after")
    def _one_thing(self) -> ScheduleWindow:
        if (self.scene is None) == (self.mode is None):
            raise ValueError("a schedule window sets a scene or a mode (dim, off), not both")
        return self


class Screen(Frozen):
    """A layout of tiles. With `display: true` (the default) it is also a physical screen,
    showing this layout unless a scene puts another one on it."""

    id: Identifier
    title: Text
    grid: Grid
    display: bool = True
    hardware: Hardware | None = Field(None, description="this screen's size, if not the wall's")
    panels: At | None = Field(
        None, description="the panels of wall.panels this screen's browser drives (issue 23)"
    )
    span: tuple[Identifier, ...] = Field(
        (), description="a layout across these adjacent screens (display: false; issue 23)"
    )
    rotation: tuple[RotationStep, ...] = ()
    schedule: tuple[ScheduleWindow, ...] = Field(
        (), description="scenes by weekday and hour, over its rotation and the default scene"
    )
    tiles: tuple[TileBase, ...] = ()

    def tile(self, tile_id: str) -> TileBase | None:
        return next((t for t in self.tiles if t.id == tile_id), None)


SceneVar = str | int | float


class Scene(Frozen):
    """What some (or all) screens show: `show` maps a screen to a layout (any screen's id)."""

    id: Identifier
    title: Text
    show: dict[Identifier, Identifier] = Field(default_factory=dict)
    vars: dict[Identifier, SceneVar] = Field(default_factory=dict)


class Takeover(Frozen):
    scene: Identifier
    screens: tuple[Identifier, ...] = Field((), description="default: the screens the scene sets")
    timeout: Duration | None = Field(None, description="revert after this long even without ack")


class Rule(Frozen):
    """A warning raised by feed data: a threshold crossed, a fast change, or a silent feed."""

    id: Identifier
    feed: Identifier
    field: str = "value"
    above: float | None = None
    below: float | None = None
    rate_above: float | None = Field(None, description="rise per minute beyond which it fires")
    silent: float | None = Field(None, gt=1.0, description="fires after this many cadences")
    severity: Literal["info", "warning", "critical"] = "warning"
    message: Text
    takeover: Takeover | None = None

    @model_validator(mode="after")
    def _one_condition(self) -> Rule:
        given = [
            n for n in ("above", "below", "rate_above", "silent") if getattr(self, n) is not None
        ]
        if len(given) != 1:
            raise ValueError("give exactly one of above, below, rate_above, silent")
        return self


class WallConfig(Frozen):
    version: Literal[1]
    wall: Wall
    feeds: tuple[Feed, ...] = ()
    screens: tuple[Screen, ...] = ()
    scenes: tuple[Scene, ...] = ()
    rules: tuple[Rule, ...] = ()
    sites: tuple[Site, ...] = ()
    catalogue: str | None = Field(
        None, description="the indicator catalogue (CSV), relative to this file"
    )

    @model_validator(mode="before")
    @classmethod
    def _shard_streams(cls, data: Any) -> Any:
        """On a sharded layout, feeds without an explicit stream get their hash-tagged key (here,
        once, so every part and every external producer's `opswall feeds` listing agree)."""
        if not isinstance(data, dict) or not isinstance(data.get("wall"), dict):
            return data
        shards = data["wall"].get("stream_shards")
        feeds = data.get("feeds")
        if not isinstance(shards, int) or shards <= 0 or not isinstance(feeds, list):
            return data
        keyed = [
            {**feed, "stream": keys.sharded_feed_stream(feed["id"], shards)}
            if isinstance(feed, dict) and isinstance(feed.get("id"), str) and not feed.get("stream")
            else feed
            for feed in feeds
        ]
        return {**data, "feeds": keyed}

    def scene(self, scene_id: str) -> Scene | None:
        return next((s for s in self.scenes if s.id == scene_id), None)

    def displays(self) -> tuple[Screen, ...]:
        """The physical screens."""
        return tuple(s for s in self.screens if s.display)

    def hardware_of(self, screen: Screen) -> Hardware:
        """The screen's own size, else the panels it drives (wall.panels), else the wall's."""
        panels = self.wall.panels
        at = screen.panels or (At(col=1, row=1) if screen.span else None)  # a span: one panel's
        if screen.hardware is None and panels is not None and at is not None:
            width, height = panels.resolution
            mm = panels.visible_mm.width * at.w
            return Hardware(resolution=(width * at.w, height * at.h), width_mm=mm)
        return screen.hardware or self.wall.hardware

    def feed(self, feed_id: str) -> Feed:
        return next(feed for feed in self.feeds if feed.id == feed_id)

    def site(self, site_id: str) -> Site | None:
        return next((s for s in self.sites if s.id == site_id), None)

    def screen(self, screen_id: str) -> Screen | None:
        return next((s for s in self.screens if s.id == screen_id), None)

    def is_restricted(self, tile: TileBase) -> bool:
        """Classified itself, or reading a classified feed: needs clearance."""
        return tile.classified or any(self.feed(b.feed).classified for _, b in tile.bindings())

    def open_feeds(self) -> frozenset[str]:
        """Feeds a screen without clearance may receive: read by some unrestricted tile."""
        return frozenset(
            b.feed
            for screen in self.screens
            for tile in screen.tiles
            if not self.is_restricted(tile)
            for _, b in tile.bindings()
        )

    def look_back(self) -> dict[str, float]:
        """Feed id -> seconds any tile of any screen looks back at it (see `look_back`)."""
        return look_back(tile for screen in self.screens for tile in screen.tiles)

    def screen_feeds(self, screen: Screen) -> tuple[Feed, ...]:
        wanted = {binding.feed for tile in screen.tiles for _, binding in tile.bindings()}
        return tuple(feed for feed in self.feeds if feed.id in wanted)


__all__ = [
    "IDENTIFIER",
    "LOCALES",
    "At",
    "Duration",
    "Feed",
    "FeedBinding",
    "Frozen",
    "Grid",
    "History",
    "Identifier",
    "Locale",
    "RotationStep",
    "Rule",
    "Scene",
    "SceneVar",
    "Screen",
    "Site",
    "Source",
    "Takeover",
    "Text",
    "TileBase",
    "TimeZoneName",
    "Wall",
    "WallConfig",
    "parse_duration",
]
