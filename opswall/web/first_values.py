"""A wall page's first values, carried by the page itself (issue 22, part 4).

Without them a screen shows its tiles empty until its socket is up: Dash's renderer, the page
callback, the socket, the gateway's welcome and its first data frame come one after the other,
and on a busy wall PC that is seconds. So the web process reads the newest entries of each feed
the page shows when it renders the page, and hands them over as the frames the gateway sends
first (`protocol.welcome_frame`, `protocol.data_frame`): what a snapshot of the feed holds
(`recent_of`, with the history database's share as the gateway adds it, `missing_past`), for
the feeds the page's socket may get (`screen_feeds`: a classified feed never reaches an
uncleared page, in its HTML either). The page paints them in its first frame, judged by their
age (static/wall/first-frames.js); its hello names the ids it holds, so the gateway sends only
what came after, as on a resume.

Bounded: a feed whose snapshot is longer than `FIRST_ENTRIES`, or that would take the page past
`FIRST_BYTES`, is left to the socket; entries are decoded by the feed contract (a malformed one
is skipped, as the gateway skips it); a feed or a database that cannot be read adds nothing, and
with Redis down the page carries no first values at all (it renders as before).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from redis.exceptions import RedisError

from opswall.auth.principals import Principal
from opswall.clock import now_ms
from opswall.config.live import Snapshot
from opswall.config.models import Screen, WallConfig, look_back
from opswall.control.views import View
from opswall.feeds.contract import FeedEntry, decode_entry
from opswall.feeds.stream_ids import RawEntry, raw_entries
from opswall.gateway import protocol
from opswall.gateway.cache import SNAPSHOT_MIN_ENTRIES, recent_of
from opswall.gateway.joins import missing_past
from opswall.history.store import load
from opswall.layouts.wall import page_layouts, visible_tiles
from opswall.replay.core import screen_feeds
from opswall.store.db import Database
from opswall.store.redis_client import SyncClient

log = logging.getLogger("opswall.web")

FIRST_ENTRIES = 300  # per feed: a longer snapshot (a busy chart's window) is left to the socket
FIRST_BYTES = 256 * 1024  # a page's first values in all, as JSON text (UTF-8)
# Read beyond the newest two a page needs of a feed no tile looks back at: that many entries
# set aside (malformed) still leave its value found, as the gateway finds it.
SPARE_ENTRIES = 8

# Recorded entries of a feed as of a time, older than an id (`history.store.load`, as the
# gateway's reader calls it).
History = Callable[[str, int, str | None], list[FeedEntry]]


@dataclass(frozen=True)
class Wanted:
    """One feed's first values: its stream, how far back the page looks, how many to read."""

    feed: str
    key: str
    since_ms: int
    count: int


def wanted(
    config: WallConfig, screen: Screen, view: View, principal: Principal, now: int
) -> list[Wanted]:
    """The feeds of the tiles the page shows first that its socket may get, each with the
    page's look-back at it (any layout of the page: what it keeps, as `_feed_meta` says)."""
    tiles = [
        tile
        for layout in page_layouts(config, screen, view)
        for tile in visible_tiles(config, layout, principal)
    ]
    keep = look_back(tiles)
    layout = config.screen(view.layout)
    shown = {
        binding.feed
        for tile in (visible_tiles(config, layout, principal) if layout else ())
        for _, binding in tile.bindings()
    }
    allowed = screen_feeds(config, screen.id, view, principal.clearance)
    out = []
    for feed in sorted(shown & allowed):
        back = int(keep.get(feed, 0.0) * 1000)
        count = FIRST_ENTRIES if back else SNAPSHOT_MIN_ENTRIES + SPARE_ENTRIES
        out.append(Wanted(feed, config.feed(feed).stream_key, now - back, count))
    return out


def first_window(want: Wanted, tail: list[RawEntry], history: History) -> list[FeedEntry] | None:
    """The snapshot the gateway would send of one feed, from the stream's newest entries
    (`tail`, newest first) and, when they do not reach back far enough, the recorded ones
    before them; None when it is longer than a page carries."""
    held = [
        e for e in (decode_entry(i, raw) for i, raw in reversed(tail)) if isinstance(e, FeedEntry)
    ]
    need = missing_past(want.feed, held[0] if held else None, len(held), want.since_ms)
    if need is not None:
        if len(tail) >= want.count:
            return None  # the stream holds more of the window than was read
        held = history(need.feed, need.since_ms, need.before) + held
    shown = recent_of(held, want.since_ms)
    return shown if len(shown) <= FIRST_ENTRIES else None


def first_frames(rev: str, windows: Mapping[str, list[FeedEntry]], now: int) -> str:
    """The page's first frames as a JSON array: the gateway's welcome and one data frame, with
    as many feeds (whole) as fit in `FIRST_BYTES`."""
    entries: list[tuple[str, FeedEntry]] = []
    size = 0
    for feed in sorted(windows):
        cost = len(protocol.encode({"e": [e.wire(feed) for e in windows[feed]]}).encode())
        if size + cost > FIRST_BYTES:
            continue
        size += cost
        entries += [(feed, entry) for entry in windows[feed]]
    welcome = protocol.welcome_frame(rev, True, (), now)
    return f"[{welcome},{protocol.data_frame(entries)}]"


def read_windows(
    redis: SyncClient, wants: list[Wanted], history: History
) -> dict[str, list[FeedEntry]]:
    """Each wanted feed's snapshot, read in one round trip; what cannot be read is left out."""
    pipe = redis.pipeline(transaction=False)
    for want in wants:
        pipe.xrevrange(want.key, "+", "-", count=want.count)
    replies = pipe.execute(raise_on_error=False)
    windows = {}
    for want, reply in zip(wants, replies, strict=True):
        if isinstance(reply, Exception):
            continue
        try:
            window = first_window(want, raw_entries(reply), history)
        except Exception as exc:  # the database is optional for a first paint: the socket has it
            log.warning("first values of %s not read (%s)", want.feed, exc)
            continue
        if window:
            windows[want.feed] = window
    return windows


def first_values(
    redis: SyncClient | None,
    db: Database,
    snapshot: Snapshot,
    screen: Screen,
    view: View,
    principal: Principal,
) -> str | None:
    """The page's first frames, or None (no Redis, nothing to show): the page waits for its
    socket, as before."""
    wants = wanted(snapshot.config, screen, view, principal, now_ms())
    if redis is None or not wants:
        return None
    try:
        windows = read_windows(redis, wants, functools.partial(load, db))
    except RedisError as exc:
        log.warning("no first values for %s (%s)", screen.id, exc)
        return None
    return first_frames(snapshot.revisions[view.layout], windows, now_ms()) if windows else None
