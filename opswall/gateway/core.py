"""The gateway's heart, Sans-I/O (issue 19): fed what the adapters read (stream replies, the
wall state, sockets joining and leaving, clock ticks; the time is always passed in, never read),
it answers with what to do (`Effects`: frames for groups of sockets, dead letters and rule
transitions to write). It owns the caches, resume (no gap, no duplicate), fan-out grouping,
views, unreachable-feed tracking and the bounds a reply is held to; the same inputs give the
same outputs, so it is tested without Redis and without sockets.

The shape follows the `websockets` library's protocol objects: the I/O lives in `reader.py`
(Redis reads), `writer.py` (Redis and database writes) and `server.py` (sockets).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any, Generic

from opswall.auth.principals import Principal
from opswall.config.live import Snapshot
from opswall.config.models import WallConfig
from opswall.control.alert_rules import AnyTransition, RuleEngine
from opswall.control.fleet import Report
from opswall.control.state import WallState
from opswall.feeds.contract import FeedEntry, Rejected, decode_entry
from opswall.feeds.stream_ids import ZERO_ID, RawEntry, as_text, raw_entries, stream_items
from opswall.gateway import protocol
from opswall.gateway.board import Board
from opswall.gateway.cache import FeedCache
from opswall.gateway.effects import DeadLetter, Effects, HistoryWant, Reply, last_per_rule
from opswall.gateway.fleet import FleetDesk, Others, Published
from opswall.gateway.joins import Filled, Join, history_by_feed, missing_past, plan
from opswall.gateway.scope import alert_feeds, layout_feeds, screen_scopes
from opswall.gateway.screens import DRAFT, PANEL, L, Peer, Screens
from opswall.keys import CMD_STREAM, SCREEN_CMD
from opswall.store.redis_client import slot_groups

log = logging.getLogger("opswall.gateway")

CACHE_ENTRIES = 2000
GAP_ENTRIES = CACHE_ENTRIES * 5  # the most a resume older than the cache reads from the stream


class GatewayCore(Generic[L]):
    def __init__(self, snapshot: Snapshot, clustered: bool = False, build: str = "") -> None:
        self.clustered = clustered  # a Redis Cluster: one read per hash slot group
        self.caches: dict[str, FeedCache] = {}
        self.last_read: dict[str, str] = {}  # stream key -> last id read
        self.feed_of_stream: dict[str, str] = {}
        self.unseeded: set[str] = set()
        self.failing: set[int] = set()  # slot groups whose last read failed
        self.counts: Counter[str] = Counter()
        self.rejected: Counter[str] = Counter()
        self.control_seeded = False
        self.seeded_at = 0.0  # when the wall state was last read (after a start or an outage)
        self.rules = RuleEngine(snapshot.config)
        self.screens: Screens[L] = Screens()
        self.board = Board()
        self.fleet: FleetDesk[L] = FleetDesk(build)  # the wall PCs, their reports, commands
        self.scopes: tuple[WallConfig | None, dict[str, frozenset[str]]] = (None, {})
        self._dead: list[DeadLetter] = []
        self._transitions: list[AnyTransition] = []
        self._published = False
        self._fleet: Published | None = None
        self.configure(snapshot)

    # -- config ------------------------------------------------------------------------------
    def configure(self, snapshot: Snapshot) -> None:
        """Take a config: new feeds get a cache (seeded by the reader); views follow on the
        next `refresh_views`, once the reader has seeded them."""
        self.snapshot = snapshot
        config = snapshot.config
        self.history_ms = history_by_feed(config)
        feeds = {feed.id: feed for feed in config.feeds}
        for feed_id in feeds:
            if feed_id not in self.caches:
                self.caches[feed_id] = FeedCache(CACHE_ENTRIES)
                self.unseeded.add(feed_id)
        self.unseeded &= set(feeds)  # a feed removed before it was seeded needs no seeding
        self.feed_of_stream = {feed.stream_key: feed.id for feed in feeds.values()}
        keys = [*self.feed_of_stream, CMD_STREAM, SCREEN_CMD]
        self.last_read = {key: self.last_read.get(key, ZERO_ID) for key in keys}
        self.groups = slot_groups(list(self.last_read), self.clustered)  # the keys change here
        self.failing &= set(self.groups)
        if config.rules != self.rules.config.rules:
            self.rules = RuleEngine(config)

    @property
    def config(self) -> WallConfig:
        return self.snapshot.config

    def stream_key(self, feed_id: str) -> str:
        return self.config.feed(feed_id).stream_key

    def read_groups(self) -> dict[int, list[str]]:
        """The streams one XREAD may name together, by hash slot (one group on one server)."""
        return self.groups

    def read_from(self, slot: int) -> dict[str, str]:
        """One slot group's streams and the ids to read after (empty: the group is gone)."""
        return {key: self.last_read[key] for key in self.groups.get(slot, ())}

    def is_screen(self, name: str) -> bool:
        return name in (PANEL, DRAFT) or any(s.id == name for s in self.config.displays())

    def allowed_feeds(self, principal: Principal, screen: str) -> frozenset[str]:
        """What `screen`'s socket may get: what it can show under any scene, or the layout a
        leader's focus put on it now (a panel: the feeds of the wall's alerts tiles), within the
        principal's clearance (a draft's preview, people's only: any feed its page names)."""
        config = self.config
        if self.scopes[0] is not config:
            self.scopes = (config, screen_scopes(config))
        if screen == PANEL:
            known = frozenset(self.history_ms) & alert_feeds(config)
            return known if principal.clearance else known & config.open_feeds()
        if screen == DRAFT:  # a draft's tile may read a feed no tile of the file reads
            known = frozenset(feed.id for feed in config.feeds)
            return known if principal.clearance else known & config.open_feeds()
        view = self.board.views.get(screen)
        now = layout_feeds(config, view.layout) if view else frozenset()
        known = frozenset(self.history_ms) & (self.scopes[1].get(screen, frozenset()) | now)
        return known if principal.clearance else known & config.open_feeds()

    # -- seeding (on start, after an outage, and for feeds a reload added) --------------------
    def seed_control(
        self, last_id: str | None, state: str | bytes | None, now: int, at: float
    ) -> Effects[L]:
        """The control stream's newest id (to read on from) and the wall state, read `at`."""
        if last_id is not None:
            self.last_read[CMD_STREAM] = last_id
        self._set_state(WallState.from_json(state), now)
        self.control_seeded = True
        self.seeded_at = at
        return self._drain()

    def unseeded_feeds(self) -> list[str]:
        return sorted(self.unseeded)

    def seed_tail(self, feed_id: str, tail: list[RawEntry], now: int) -> HistoryWant | None:
        """A stream's newest entries (newest first, at most CACHE_ENTRIES); what the history
        database should add: whatever a screen's first render needs and the stream lost."""
        cache = self.caches[feed_id]
        for entry_id, raw in reversed(tail):
            result = decode_entry(entry_id, raw)
            if isinstance(result, FeedEntry):
                cache.add(result)
        if len(tail) == CACHE_ENTRIES:
            cache.mark_partial()
        if tail:
            self.last_read[self.stream_key(feed_id)] = tail[0][0]
        since = now - self.history_ms.get(feed_id, 0)
        return missing_past(feed_id, cache.oldest(), len(cache), since)

    def seeded(self, feed_id: str, older: list[FeedEntry]) -> Effects[L]:
        """The feed's recorded past (maybe none) is in: the rules judge its newest data at
        once, so a standing condition is known without waiting for the next entry."""
        self.caches[feed_id].prepend(older)
        self.unseeded.discard(feed_id)
        for entry in self.caches[feed_id].newest(2):
            self._transitions += self.rules.observe(feed_id, entry)
        return self._drain()

    # -- reading -----------------------------------------------------------------------------
    def take(self, replies: list[Reply], now: int) -> Effects[L]:
        """What the readers delivered since the last call, as ONE batch: a screen gets one
        frame per batch however many slot groups its entries came from."""
        items: list[Any] = []
        try:
            read = False
            for reply in replies:
                if not isinstance(reply.response, BaseException):
                    read = True
                    self.failing.discard(reply.slot)
                    items += stream_items(reply.response)
                elif reply.at >= self.seeded_at:  # else: a failure from before the recovery
                    self.failing.add(reply.slot)
                    if self.failing >= set(self.groups):  # nothing reads: Redis is gone
                        self._lose(reply.response, now)
            # Some groups read, some fail (a cluster node down): Redis is up, and the screens
            # are told which feeds cannot be read rather than that nothing can.
            self._set_unreachable(now)
            if read:
                self.screens.set_redis(True, now)
            if items:
                self._handle(items, now)
        except Exception:  # isolation: what fails unforeseen here must not end the read loop
            self.unforeseen("a batch of %d replies could not be handled in full", len(items))
        return self._drain()

    def lost(self, exc: BaseException, now: int) -> Effects[L]:
        """Redis failed the adapters: the screens show data as down until reads succeed."""
        self._lose(exc, now)
        return self._drain()

    def _lose(self, exc: BaseException, now: int) -> None:
        if self.screens.redis_up:
            log.warning("redis lost (%s); screens show data as down", exc)
        self.screens.set_redis(False, now)
        self.control_seeded = False  # the state may have changed while we were away

    def _set_unreachable(self, now: int) -> None:
        keys = [key for slot in self.failing for key in self.groups.get(slot, [])]
        feeds = frozenset(self.feed_of_stream[key] for key in keys if key in self.feed_of_stream)
        self.screens.set_unreachable(feeds, now)

    def _handle(self, items: list[Any], now: int) -> None:
        batch: list[tuple[str, FeedEntry]] = []
        for raw_key, entries in items:
            key = as_text(raw_key)
            if key == CMD_STREAM:
                self._take_control(raw_entries(entries), now)
                continue
            if key == SCREEN_CMD:
                last = self.fleet.commands(raw_entries(entries), now, self.screens)
                self.last_read[key] = last or self.last_read[key]
                continue
            feed_id = self.feed_of_stream.get(key)
            if feed_id is None:
                continue  # the feed left the config while this read was under way
            for entry_id, raw in raw_entries(entries):
                self.last_read[key] = entry_id
                result = self._take_entry(feed_id, entry_id, raw)
                if isinstance(result, Rejected):
                    self.rejected[feed_id] += 1
                    self._dead.append(DeadLetter(feed_id, key, result, raw))
                elif result is not None:
                    batch.append((feed_id, result))
        if batch:
            self._published = True
            self.counts["failures"] += self.screens.publish(batch, now)

    def _take_entry(
        self, feed_id: str, entry_id: str, raw: dict[Any, Any]
    ) -> FeedEntry | Rejected | None:
        """One entry read live: decoded, cached, judged by the rules. Whatever goes wrong is
        this entry's alone and counted; the read loop goes on (issue 17). An entry that could
        not be taken in is dead-lettered; one the rules failed on still reaches the screens."""
        try:
            result = decode_entry(entry_id, raw)
            if isinstance(result, FeedEntry):
                self.caches[feed_id].add(result)
                self.counts["entries"] += 1
        except Exception as exc:  # isolation: never out of the read loop
            self.unforeseen("feed %s: entry %s could not be handled", feed_id, entry_id)
            return Rejected(entry_id, f"unexpected {type(exc).__name__} handling the entry")
        if isinstance(result, FeedEntry):
            try:
                self._transitions += self.rules.observe(feed_id, result)
            except Exception:  # isolation: the rules judge the next entry as usual
                self.unforeseen("feed %s: the rules failed on entry %s", feed_id, entry_id)
        return result

    def _take_control(self, entries: list[RawEntry], now: int) -> None:
        if not entries:
            return
        self.last_read[CMD_STREAM] = entries[-1][0]
        state_text = {as_text(k): v for k, v in entries[-1][1].items()}.get("state")
        try:
            state = WallState.from_json(state_text)
        except (ValueError, TypeError, RecursionError) as exc:
            log.warning("control entry %s unreadable (%s); keeping the state", entries[-1][0], exc)
            return
        self._set_state(state, now)

    def _set_state(self, state: WallState, now: int) -> None:
        if self.board.accept(state):
            self.board.refresh(self.snapshot, now, self.screens)

    def unforeseen(self, message: str, *args: Any) -> None:
        self.counts["failures"] += 1
        log.exception(message, *args)

    # -- ticks and write outcomes ------------------------------------------------------------
    def refresh_views(self, now: int) -> Effects[L]:
        """Rotations advance and takeovers time out with the clock, not with events."""
        self.board.refresh(self.snapshot, now, self.screens)
        return self._drain()

    def heartbeat(self, now: int) -> Effects[L]:
        self.screens.heartbeat(now)
        return self._drain()

    def check_silence(self, now: int) -> Effects[L]:
        """Feeds that went silent raise their rules even though no entry arrives."""
        self._transitions += self.rules.check_silence(now)
        return self._drain()

    def transition_failed(self, rule_id: str) -> None:
        """A transition could not be written: judge the rule (or screen) again."""
        if rule_id in self.rules.active:
            self.rules.active[rule_id] = None
        elif rule_id.startswith("screen:"):
            self.fleet.alarms.forget(rule_id.removeprefix("screen:"))

    def fleet_tick(self, now: int, others: Others | None = None) -> Effects[L]:
        """The fleet to publish, screen warnings raised or cleared (over the devices of every
        replica: `others`, read by the adapter), old pages updated."""
        views, others = self.board.view_keys(), others or ([], now)
        self._fleet, raised = self.fleet.tick(self.config, views, now, self.screens, others)
        self._transitions += raised
        return self._drain()

    def report(self, peer: Peer[L], report: Report, now: int) -> Effects[L]:
        """A page reported itself (a `report` frame)."""
        self.fleet.report(peer, report, now, self.board.view_keys())
        return self._drain()

    # -- sockets -----------------------------------------------------------------------------
    def join(
        self,
        link: L,
        screen: str,
        principal: Principal,
        hello: protocol.Hello,
        now: int,
    ) -> Join[L]:
        """A socket said hello: it gets live frames from now on (held until it is ready), and
        what it missed as far as the caches hold it."""
        peer = Peer(link, screen, principal)
        peer.feeds = self._requested(peer, hello.feeds)
        self.screens.add(peer)
        self.fleet.join(peer, now)
        return self._plan(peer, peer.feeds, hello.last, now)

    def opening(self, join: Join[L], filled: Filled, now: int) -> list[str]:
        """The frames a joined socket gets first, in order: the welcome, its view (a panel:
        the wall), the snapshot or resume. `filled`: the gaps read from the streams (None:
        the read failed; what the cache holds is sent)."""
        peer = join.peer
        frames = [self.screens.welcome(peer, self.board.rev(self.snapshot, peer.screen), now)]
        frames += self.board.opening(self.snapshot, peer.screen, peer.principal.clearance, now)
        frames.append(protocol.data_frame(join.entries(filled, self.caches)))
        return frames

    def backlog(self, peer: Peer[L]) -> list[str]:
        """What was held for the socket while its opening went out; none left: it is ready."""
        frames, peer.backlog = peer.backlog, []
        if not frames:
            peer.ready = True
        return frames

    def resubscribe(self, peer: Peer[L], sub: protocol.Subscribe, now: int) -> Join[L] | None:
        """The page now shows other tiles: the added feeds' past, then they are live."""
        feeds = self._requested(peer, sub.feeds)
        added = feeds - peer.feeds
        peer.feeds = feeds
        return self._plan(peer, added, sub.last, now) if added else None

    def subscribed(self, join: Join[L], filled: Filled) -> Effects[L]:
        self.screens.send([join.peer], protocol.data_frame(join.entries(filled, self.caches)))
        return self._drain()

    def leave(self, peer: Peer[L], now: int) -> None:
        self.screens.discard(peer)
        self.fleet.leave(peer, now)

    def _requested(self, peer: Peer[L], requested: tuple[str, ...] | None) -> frozenset[str]:
        if peer.screen == PANEL:  # a panel does not choose: the wall's alert feeds
            return self.allowed_feeds(peer.principal, PANEL)
        if requested is None:  # a screen that does not say: its view's layout
            view = self.board.views.get(peer.screen)
            requested = tuple(layout_feeds(self.config, view.layout if view else peer.screen))
        return frozenset(requested) & self.allowed_feeds(peer.principal, peer.screen)

    def _plan(
        self, peer: Peer[L], feeds: frozenset[str], last: dict[str, str], now: int
    ) -> Join[L]:
        def since(feed: str) -> int:
            return now - self.history_ms.get(feed, 0)

        return plan(peer, feeds, last, self.caches, since, self.stream_key)

    # -- status ------------------------------------------------------------------------------
    @property
    def redis_up(self) -> bool:
        return self.screens.redis_up

    def status(self) -> dict[str, Any]:
        return {
            "redis": self.screens.redis_up,
            "unreachable": sorted(self.screens.unreachable),  # feeds it cannot read (a node down)
            "screens": self.screens.counts(),
            "entries": self.counts["entries"],
            "rejected": dict(self.rejected),
            "failures": self.counts["failures"],  # entries or frames that failed unforeseen
            "wall_version": self.board.state.version,
        }

    def _drain(self) -> Effects[L]:
        effects: Effects[L] = Effects(
            self.screens.take_outbox(),
            self._dead,
            last_per_rule(self._transitions),
            self._published,
            self._fleet,
        )
        self._dead, self._transitions, self._published, self._fleet = [], [], False, None
        return effects
