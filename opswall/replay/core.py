"""The wall at an instant, pure (issue 24): given what the history database kept (the config
revision, the wall state version, feed entries, indicator figures as they were), the frames the
gateway would have sent a screen's page at that instant, and each tile's freshness then.

No I/O and no clock: `replay/source.py` reads the database and `web/replay_api.py` serves the
result; the page applies these frames with the same code as live ones (static/wall/replay.js).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from opswall.config.live import Snapshot
from opswall.config.models import Screen, WallConfig
from opswall.control.state import WallState
from opswall.control.views import View, all_views
from opswall.feeds.contract import FeedEntry
from opswall.feeds.stream_ids import parse_id
from opswall.gateway.board import alerts_of, view_wire
from opswall.gateway.cache import recent_of
from opswall.gateway.joins import history_by_feed
from opswall.gateway.scope import layout_feeds, screen_scopes

# What a replay cannot show of a feed, said on its tiles instead of a value (never invented):
# `unrecorded`: its entries are not kept (history.record false, or a kind never recorded);
# `before_retention`: the instant is older than what its retention keeps.
Limit = Literal["unrecorded", "before_retention"]
Fresh = Literal["live", "stale"]


@dataclass(frozen=True)
class Moment:
    """What the database kept about the wall at `at_ms`."""

    at_ms: int
    snapshot: Snapshot  # the config revision in force then
    state: WallState | None  # the wall state version in force then; None: none kept
    entries: Mapping[str, Sequence[FeedEntry]]  # per feed, oldest first, recorded by then
    limits: Mapping[str, Limit]  # feeds whose past is not kept, and why
    # A span (playing ahead): the state versions stamped after `since_ms`, up to `at_ms`.
    changes: Sequence[tuple[int, WallState]] = ()
    # A span that reaches a new config revision stops just before it: when it took effect.
    config_at: int | None = None


@dataclass(frozen=True)
class Rebuilt:
    """A screen at the instant: the frames its page gets, in order, and tile freshness."""

    view: View
    frames: list[dict[str, Any]]
    fresh: dict[str, Fresh]  # tile id (of the view's layout) -> freshness then
    limits: dict[str, Limit]  # feed -> why the replay shows no value for it
    state_kept: bool  # False: the wall state then is older than retention (own layout shown)


def existed(entry: FeedEntry, at_ms: int) -> bool:
    """Whether the entry was in its stream at `at_ms` (its stream id is its arrival time)."""
    return parse_id(entry.id)[0] <= at_ms


def window(entries: Sequence[FeedEntry], since_ms: int, at_ms: int) -> list[FeedEntry]:
    """What a gateway's cache snapshot held at `at_ms`: the entries as of `since_ms`, never
    fewer than the newest `SNAPSHOT_MIN_ENTRIES` (as `FeedCache.recent`)."""
    return recent_of([e for e in entries if existed(e, at_ms)], since_ms)


def screen_feeds(config: WallConfig, screen: str, view: View, cleared: bool) -> frozenset[str]:
    """The feeds the gateway lets the screen's page read (`GatewayCore.allowed_feeds`)."""
    feeds = screen_scopes(config).get(screen, frozenset()) | layout_feeds(config, view.layout)
    return feeds if cleared else feeds & config.open_feeds()


def freshness(
    config: WallConfig, feeds: Sequence[str], latest: Mapping[str, FeedEntry], at_ms: int
) -> Fresh:
    """A tile's freshness at `at_ms` with the link up, as `lib/freshness.js` judges it, the
    window from `Feed.stale_window` (the one the live page's `stale_ms` comes from)."""
    for feed_id in feeds:
        window_ms = config.feed(feed_id).stale_window(config.wall.stale_after) * 1000
        entry = latest.get(feed_id)
        if entry is None or at_ms - entry.asof_ms > window_ms:
            return "stale"
    return "live"


def span(moment: Moment, screen: Screen, cleared: bool, since_ms: int) -> list[dict[str, Any]]:
    """What a page playing forward needs from `since_ms` to `moment.at_ms`, each frame stamped
    with the instant it applies (`at`): every entry that arrived in the span (its stream id's
    time) and the view after each wall state version in it. The page holds them and applies
    each when its replay clock passes it, as the gateway would have sent them then. A span
    that reaches a config revision ends with a `config` frame at the instant it took effect:
    the page shows the new layout then, even with no wall state change (README)."""
    config, at = moment.snapshot.config, moment.at_ms
    frames: list[dict[str, Any]] = []
    for when, version in moment.changes:
        state = replace(version, previews={})
        view = all_views(config, state, when)[screen.id]
        wire = view_wire(moment.snapshot, view)
        frames.append({"type": "view", "at": when, "view": wire, "alerts": alerts_of(state)})
    view = all_views(config, replace(moment.state or WallState(), previews={}), at)[screen.id]
    for feed in sorted(screen_feeds(config, screen.id, view, cleared)):
        for entry in moment.entries.get(feed, ()):
            arrived = parse_id(entry.id)[0]
            if since_ms < arrived <= at:
                frames.append({"type": "data", "at": arrived, "entries": [entry.wire(feed)]})
    if moment.config_at is not None:
        frames.append({"type": "config", "at": moment.config_at})
    return sorted(frames, key=lambda frame: int(frame["at"]))


def rebuild(moment: Moment, screen: Screen, cleared: bool) -> Rebuilt:
    """The frames the gateway would have sent `screen` at `moment.at_ms` (welcome, view, data:
    `GatewayCore.opening`), with the link up; studio previews are not replayed (drafts live
    in Redis only), so the file's config of then is shown."""
    snapshot, at = moment.snapshot, moment.at_ms
    config = snapshot.config
    state = replace(moment.state or WallState(), previews={})
    view = all_views(config, state, at)[screen.id]
    wire = view_wire(snapshot, view)
    since = history_by_feed(config)
    feeds = sorted(screen_feeds(config, screen.id, view, cleared))
    shown = {f: window(moment.entries.get(f, ()), at - since.get(f, 0), at) for f in feeds}
    data = [e.wire(feed) for feed in feeds for e in shown[feed]]
    latest = {feed: entries[-1] for feed, entries in shown.items() if entries}
    layout = config.screen(view.layout)
    fresh = {
        tile.id: freshness(config, [b.feed for _, b in tile.bindings()], latest, at)
        for tile in (layout.tiles if layout else ())
    }
    frames = [
        {"type": "welcome", "rev": wire["rev"], "now": at, "redis": True},
        {"type": "view", "view": wire, "alerts": alerts_of(state)},
        {"type": "data", "entries": data},
    ]
    limits = {f: why for f, why in moment.limits.items() if f in feeds and f not in latest}
    return Rebuilt(view, frames, fresh, limits, moment.state is not None)
