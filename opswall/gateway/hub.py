"""The hub reads every feed stream and the control stream (one XREAD on a server; one per hash
slot on a Redis Cluster), handles the replies in arrival order (those that arrive together as
one batch), and fans entries out to the screens that show them, wall-state changes to every
screen (as views) and panel.

Reads always use concrete last IDs (never `$`), so nothing is lost between reads or across a
Redis restart. Each batch is encoded once per distinct set of feeds and broadcast.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from redis.exceptions import RedisError, ResponseError
from websockets.asyncio.server import ServerConnection, broadcast

from opswall.auth.principals import Principal
from opswall.config.models import Feed, WallConfig
from opswall.config.source import ConfigSource
from opswall.control.rules import RuleEngine, Transition
from opswall.control.state import WallState
from opswall.control.store import CMD_STREAM, STATE_KEY
from opswall.control.views import View, all_views
from opswall.feeds.bounds import escaped
from opswall.feeds.contract import FeedEntry, Rejected, decode_entry
from opswall.feeds.stream_ids import ZERO_ID, as_text, is_after, raw_entries, stream_items
from opswall.feeds.streams import DEADLETTER_COUNTS, DEADLETTER_MAXLEN, deadletter_key
from opswall.gateway import protocol
from opswall.gateway.cache import SNAPSHOT_MIN_ENTRIES, FeedCache
from opswall.gateway.scope import classified_rules, layout_feeds, redact_state, screen_scopes
from opswall.store.redis_client import connect_async, is_cluster, slot_groups, xread_slot

log = logging.getLogger("opswall.gateway")

CACHE_ENTRIES = 2000
READ_BLOCK_MS = 1000
# A screen paints at most once per display frame (60 Hz). Reading again sooner than this after
# a publish only splits what arrives next into more frames: each one a write per screen here
# and a parse per screen in the browsers, for no earlier paint.
FRAME_INTERVAL = 1 / 60


PANEL = "_panel"  # the socket path of leaders' panels: the whole wall's state, no feed data


@dataclass
class Delivery:
    """A reader group's XREAD reply (or the error that ended it), and a future set once the
    reply is handled, so the group reads on from the ids it advanced."""

    slot: int
    response: Any
    handled: asyncio.Future[None] | None
    at: float = field(default_factory=time.monotonic)


@dataclass(eq=False)
class Client:
    ws: ServerConnection
    screen: str  # a display screen id, or PANEL
    principal: Principal
    token: str = ""  # the device token, re-checked while connected
    feeds: frozenset[str] = frozenset()
    view_key: str = ""
    ready: bool = False
    backlog: list[str] = field(default_factory=list)


def release(inbox: asyncio.Queue[Delivery]) -> None:
    """Drop queued deliveries; readers waiting on theirs read the same entries again."""
    while not inbox.empty():
        delivery = inbox.get_nowait()
        if delivery.handled is not None:
            delivery.handled.set_result(None)


def history_by_feed(config: WallConfig) -> dict[str, int]:
    """How far back any tile reading a feed looks (ms): what a screen gets on connect."""
    history: dict[str, int] = {}
    for screen in config.screens:
        for tile in screen.tiles:
            for _, binding in tile.bindings():
                ms = int(tile.history_seconds() * 1000)
                history[binding.feed] = max(history.get(binding.feed, 0), ms)
    return history


RejectedEntry = tuple[str, str, Rejected, dict[Any, Any]]  # feed, stream key, why, raw fields
HistoryLoader = Callable[[str, int, str | None], list[FeedEntry]]  # feed, since ms, before id
WarningSink = Callable[[Transition, WallState], Awaitable[None]]
ControlApply = Callable[[dict[str, Any]], Awaitable[tuple[WallState, WallState]]]


class Hub:
    def __init__(
        self, source: ConfigSource, redis_url: str, history: HistoryLoader | None = None
    ) -> None:
        self.source = source
        self.history = history  # recorded entries older than the stream holds
        # The blocking read gets its own connection; replays and dead letters use the other.
        self.reader = connect_async(redis_url, socket_timeout=READ_BLOCK_MS / 1000 + 4)
        self.writer = connect_async(redis_url, socket_timeout=5)
        self.clustered = is_cluster(self.reader)
        self.caches: dict[str, FeedCache] = {}
        self.last_read: dict[str, str] = {}  # stream key -> last id read
        self.feed_of_stream: dict[str, str] = {}
        self.unseeded: set[str] = set()
        self.history_ms: dict[str, int] = {}
        self.clients: dict[str, set[Client]] = defaultdict(set)
        self.redis_up = False
        self.unreachable: frozenset[str] = frozenset()  # feeds of slot groups that fail to read
        self.counts: Counter[str] = Counter()
        self.rejected: Counter[str] = Counter()
        self.wall_state = WallState()
        self.control_seeded = False
        self.seeded_at = 0.0  # when the wall state was last read (after a start or an outage)
        self.views: dict[str, View] = {}
        self.wires: dict[str, dict[str, Any]] = {}  # the views as last sent
        self.alerts_sig = ""
        self.panel_version = -1  # the wall-state version panels last got
        self.published_at = 0.0  # monotonic time of the last data frame sent
        # Set by the server: applies rule transitions to the shared state and records them.
        self.apply_control: ControlApply | None = None
        self.on_transition: WarningSink | None = None
        self.rules = RuleEngine(source.current.config)
        self.scopes: tuple[WallConfig | None, dict[str, frozenset[str]]] = (None, {})
        self.seed_transitions: list[Transition] = []
        self._apply_config(source.current.config)

    # -- config ------------------------------------------------------------------------------
    def _apply_config(self, config: WallConfig) -> None:
        self.history_ms = history_by_feed(config)
        feeds = {feed.id: feed for feed in config.feeds}
        for feed in feeds.values():
            if feed.id not in self.caches:
                self.caches[feed.id] = FeedCache(CACHE_ENTRIES)
                self.unseeded.add(feed.id)
        self.unseeded &= set(feeds)  # a feed removed before it was seeded needs no seeding
        self.feed_of_stream = {feed.stream_key: feed.id for feed in feeds.values()}
        self.last_read = {
            key: self.last_read.get(key, ZERO_ID) for key in [*self.feed_of_stream, CMD_STREAM]
        }
        self.groups = slot_groups(list(self.last_read), self.clustered)  # the keys change here
        if config.rules != self.rules.config.rules:
            self.rules = RuleEngine(config)

    @property
    def config(self) -> WallConfig:
        return self.source.current.config

    def feed(self, feed_id: str) -> Feed:
        return self.config.feed(feed_id)

    def allowed_feeds(self, principal: Principal, screen: str) -> frozenset[str]:
        """What `screen`'s socket may get: what it can show under any scene, or the layout a
        leader's focus put on it now, within the principal's clearance."""
        config = self.config
        if self.scopes[0] is not config:
            self.scopes = (config, screen_scopes(config))
        view = self.views.get(screen)
        now = layout_feeds(config, view.layout) if view else frozenset()
        known = frozenset(self.history_ms) & (self.scopes[1].get(screen, frozenset()) | now)
        return known if principal.clearance else known & config.open_feeds()

    def is_screen(self, name: str) -> bool:
        return name == PANEL or any(s.id == name for s in self.config.displays())

    async def reload(self) -> None:
        """Take the source's current config; screens whose page changed re-render."""
        self._apply_config(self.source.current.config)
        try:
            await self._seed_new_feeds()
        except RedisError as exc:
            # Redis is down: the reader seeds these feeds once it is back. The layout still
            # changes now; the new tiles show "no data" until their first entry.
            log.warning("new feeds not seeded yet (%s)", exc)
        self.refresh_views()

    # -- reading -----------------------------------------------------------------------------
    async def _seed_new_feeds(self) -> None:
        """Fill new feeds' caches from the stream tail, and read on from its newest id."""
        if not self.control_seeded:
            await self._seed_control()
        for feed_id in sorted(self.unseeded):
            key = self.feed(feed_id).stream_key
            tail = raw_entries(await self.reader.xrevrange(key, "+", "-", count=CACHE_ENTRIES))
            for entry_id, raw in reversed(tail):
                self._ingest(feed_id, entry_id, raw, count=False)
            if len(tail) == CACHE_ENTRIES:
                self.caches[feed_id].mark_partial()
            if tail:
                self.last_read[key] = tail[0][0]
            await self._seed_history(feed_id)
            self.unseeded.discard(feed_id)
            # Rules judge the newest data on start, so a standing condition is known at once.
            for entry in self.caches[feed_id].newest(2):
                self.seed_transitions += self.rules.observe(feed_id, entry)
        transitions, self.seed_transitions = self.seed_transitions, []
        await self.apply_transitions(transitions)

    async def _seed_history(self, feed_id: str) -> None:
        """What the stream no longer holds (trimmed, or Redis restarted empty) but a screen's
        first render needs: read from the history database."""
        cache = self.caches[feed_id]
        since = protocol.now_ms() - self.history_ms.get(feed_id, 0)
        oldest = cache.oldest()
        enough = len(cache) >= SNAPSHOT_MIN_ENTRIES
        if self.history is None or (oldest is not None and oldest.asof_ms <= since and enough):
            return
        try:
            older = await asyncio.to_thread(
                self.history, feed_id, since, oldest.id if oldest else None
            )
        except Exception as exc:  # the database is optional for live data: go on without
            log.warning("history of %s not loaded (%s)", feed_id, exc)
            return
        cache.prepend(older)

    async def _seed_control(self) -> None:
        """The current wall state, and the control stream's newest id to read on from."""
        tail = raw_entries(await self.reader.xrevrange(CMD_STREAM, "+", "-", count=1))
        state = await self.reader.get(STATE_KEY)
        if tail:
            self.last_read[CMD_STREAM] = tail[0][0]
        self._set_state(WallState.from_json(state))
        self.control_seeded = True
        self.seeded_at = time.monotonic()

    def read_groups(self) -> dict[int, list[str]]:
        """The streams one XREAD may name together, by hash slot (one group on one server)."""
        return self.groups

    async def read_forever(self) -> None:
        """One reader per slot group blocks on Redis; their replies are handled here in arrival
        order, so the caches, rules and screens see one sequence of batches."""
        inbox: asyncio.Queue[Delivery] = asyncio.Queue()
        readers: dict[int, asyncio.Task[None]] = {}
        failing: set[int] = set()
        backoff = 0.2
        try:
            while True:
                try:
                    await self._seed_new_feeds()
                except (RedisError, OSError) as exc:
                    self._lost(exc)
                    release(inbox)  # what the readers said meanwhile is stale once we are back
                    await asyncio.sleep(backoff * random.uniform(0.5, 1.0))
                    backoff = min(backoff * 2, 5.0)
                    continue
                backoff = 0.2
                groups = self.read_groups()
                for slot in groups:
                    if slot not in readers or readers[slot].done():
                        readers[slot] = asyncio.create_task(self._read_group(slot, inbox))
                failing &= set(groups)
                try:
                    deliveries = [await asyncio.wait_for(inbox.get(), READ_BLOCK_MS / 1000)]
                except TimeoutError:
                    continue  # no reply yet: seed what a reload added, start new groups' readers
                await self._pace()
                while not inbox.empty():  # replies that came in meanwhile join this batch
                    deliveries.append(inbox.get_nowait())
                await self._take(deliveries, failing)
        finally:
            for task in readers.values():
                task.cancel()

    async def _take(self, deliveries: list[Delivery], failing: set[int]) -> None:
        """Handle what the readers delivered since the last call as ONE batch: a screen gets
        one frame per batch however many slot groups its entries came from."""
        replies: list[Any] = []
        try:
            read = False
            for delivery in deliveries:
                if not isinstance(delivery.response, BaseException):
                    read = True
                    failing.discard(delivery.slot)
                    replies += stream_items(delivery.response)
                elif delivery.at >= self.seeded_at:  # else: a failure from before the recovery
                    failing.add(delivery.slot)
                    if failing >= set(self.read_groups()):  # nothing reads: Redis is gone
                        self._lost(delivery.response)
            # Some groups read, some fail (a cluster node down): Redis is up, and the screens
            # are told which feeds cannot be read rather than that nothing can.
            self._set_unreachable(failing)
            if read:
                self._set_redis(True)
            if replies:
                await self._handle(replies)
        except (RedisError, OSError) as exc:
            self._lost(exc)
        except Exception:  # isolation: what fails unforeseen here must not end the read loop
            self._unforeseen("a batch of %d replies could not be handled in full", len(replies))
        finally:
            for delivery in deliveries:
                if delivery.handled is not None:
                    delivery.handled.set_result(None)

    async def _read_group(self, slot: int, inbox: asyncio.Queue[Delivery]) -> None:
        """Block on one group's streams from their last handled ids; wait until the reply is
        handled before reading on. Ends when a reload leaves the group empty."""
        backoff = 0.2
        while keys := self.read_groups().get(slot):
            streams: dict[Any, Any] = {key: self.last_read[key] for key in keys}
            try:
                response = await xread_slot(self.reader, streams, count=1000, block=READ_BLOCK_MS)
            except (RedisError, OSError) as exc:
                await inbox.put(Delivery(slot, exc, None))
                await asyncio.sleep(backoff * random.uniform(0.5, 1.0))
                backoff = min(backoff * 2, 5.0)
                continue
            backoff = 0.2
            handled = asyncio.get_running_loop().create_future()
            await inbox.put(Delivery(slot, response, handled))
            await handled

    async def _pace(self) -> None:
        """Wait out the rest of the display frame since the last publish: what arrives meanwhile
        (in Redis, or from other slot groups' readers) goes out with this reply as one frame.
        At low rates there is nothing to wait for."""
        wait = self.published_at + FRAME_INTERVAL - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)

    def _lost(self, exc: BaseException) -> None:
        if self.redis_up:
            log.warning("redis lost (%s); screens show data as down", exc)
        self._set_redis(False)
        self.control_seeded = False  # the state may have changed while we were away

    async def _handle(self, response: Any) -> None:
        batch: list[tuple[str, FeedEntry]] = []
        rejected: list[RejectedEntry] = []
        transitions: list[Transition] = []
        for raw_key, entries in stream_items(response):
            key = as_text(raw_key)
            if key == CMD_STREAM:
                self._handle_control(raw_entries(entries))
                continue
            feed_id = self.feed_of_stream.get(key)
            if feed_id is None:
                continue  # the feed left the config while this read was under way
            for entry_id, raw in raw_entries(entries):
                self.last_read[key] = entry_id
                result, observed = self._take_entry(feed_id, entry_id, raw)
                if isinstance(result, Rejected):
                    rejected.append((feed_id, key, result, raw))
                elif result is not None:
                    batch.append((feed_id, result))
                    transitions += observed
        if batch:
            self._publish(batch)  # before any Redis write that could fail
        await self._dead_letters(rejected)
        await self.apply_transitions(transitions)

    def _handle_control(self, entries: list[tuple[str, dict[Any, Any]]]) -> None:
        if not entries:
            return
        self.last_read[CMD_STREAM] = entries[-1][0]
        state_text = {_text(k): v for k, v in entries[-1][1].items()}.get("state")
        try:
            state = WallState.from_json(state_text)
        except (ValueError, TypeError, RecursionError) as exc:
            log.warning("control entry %s unreadable (%s); keeping the state", entries[-1][0], exc)
            return
        self._set_state(state)

    def _set_state(self, state: WallState) -> None:
        if state.version >= self.wall_state.version or state.version == 0:
            self.wall_state = state
            self.refresh_views()

    async def apply_transitions(self, transitions: list[Transition]) -> None:
        """Raise or clear warnings in the shared state; the last transition per rule counts."""
        if not transitions or self.apply_control is None:
            return
        last = {t.rule.id: t for t in transitions}
        for transition in last.values():
            action: dict[str, Any] = {"action": transition.kind, "rule": transition.rule.id}
            if transition.kind == "raise":
                action |= {"warning": transition.warning_id, "value": transition.value}
            try:
                before, after = await self.apply_control(action)
            except (RedisError, OSError) as exc:
                log.warning("rule %s not applied (%s)", transition.rule.id, exc)
                self.rules.active[transition.rule.id] = None  # judge again on the next entry
                continue
            if after is not before and self.on_transition is not None:
                await self.on_transition(transition, after)

    async def rules_forever(self, interval: float = 1.0) -> None:
        """Feeds that went silent raise their rules even though no entry arrives."""
        while True:
            await asyncio.sleep(interval)
            await self.apply_transitions(self.rules.check_silence(protocol.now_ms()))

    def _take_entry(
        self, feed_id: str, entry_id: str, raw: dict[Any, Any]
    ) -> tuple[FeedEntry | Rejected | None, list[Transition]]:
        """One entry read live: decoded, cached, judged by the rules. Whatever goes wrong is
        this entry's alone and counted; the read loop goes on (issue 17). An entry that could
        not be taken in is dead-lettered; one the rules failed on still reaches the screens."""
        try:
            result = self._ingest(feed_id, entry_id, raw)
        except Exception as exc:  # isolation: never out of the read loop
            self._unforeseen("feed %s: entry %s could not be handled", feed_id, entry_id)
            return Rejected(entry_id, f"unexpected {type(exc).__name__} handling the entry"), []
        if not isinstance(result, FeedEntry):
            return result, []
        try:
            return result, self.rules.observe(feed_id, result)
        except Exception:  # isolation: the rules judge the next entry as usual
            self._unforeseen("feed %s: the rules failed on entry %s", feed_id, entry_id)
            return result, []

    def _unforeseen(self, message: str, *args: Any) -> None:
        self.counts["failures"] += 1
        log.exception(message, *args)

    def _ingest(
        self, feed_id: str, entry_id: str, raw: dict[Any, Any], count: bool = True
    ) -> FeedEntry | Rejected | None:
        result = decode_entry(entry_id, raw)
        if isinstance(result, FeedEntry):
            self.caches[feed_id].add(result)
            if count:
                self.counts["entries"] += 1
        return result

    async def _dead_letters(self, rejected: list[RejectedEntry]) -> None:
        """Set malformed entries aside with their reasons, in one round trip (a poisoned feed
        may send hundreds at once); each is counted once across gateway replicas."""
        if not rejected:
            return
        async with self.writer.pipeline(transaction=False) as pipe:
            for feed_id, key, entry, raw in rejected:
                self.rejected[feed_id] += 1
                log.warning("feed %s: entry %s set aside: %s", feed_id, entry.id, entry.reason)
                # Same id as the original: a second replica's XADD fails, so it is kept once.
                pipe.xadd(
                    deadletter_key(feed_id),
                    dead_letter_fields(key, entry, raw),  # type: ignore[arg-type]
                    id=entry.id,
                    maxlen=DEADLETTER_MAXLEN,
                    approximate=True,
                )
            results = await pipe.execute(raise_on_error=False)
        kept = Counter(
            feed_id
            for (feed_id, *_), result in zip(rejected, results, strict=True)
            if not isinstance(result, ResponseError)
        )
        if kept:
            async with self.writer.pipeline(transaction=False) as pipe:
                for feed_id, count in kept.items():
                    pipe.hincrby(DEADLETTER_COUNTS, feed_id, count)
                await pipe.execute()

    # -- screens ---------------------------------------------------------------------------
    def _set_redis(self, up: bool) -> None:
        if up != self.redis_up:
            self.redis_up = up
            self.heartbeat()

    def _set_unreachable(self, failing: set[int]) -> None:
        groups = self.read_groups()
        keys = [key for slot in failing for key in groups.get(slot, [])]
        feeds = frozenset(self.feed_of_stream[key] for key in keys if key in self.feed_of_stream)
        if feeds != self.unreachable:
            if feeds and not self.unreachable:
                log.warning(
                    "cannot read %d feeds (%s...): their tiles show as down", len(feeds), min(feeds)
                )
            elif not feeds:
                log.info("every feed reads again")
            self.unreachable = feeds
            self.heartbeat()

    def heartbeat(self) -> None:
        if not self.unreachable:  # the usual case: one frame for every screen
            frame = protocol.heartbeat_frame(self.redis_up)
            for clients in self.clients.values():
                self._send(clients, frame)
            return
        for clients in self.clients.values():  # each told only of feeds it may see
            for client in clients:
                down = self.unreachable & client.feeds
                self._send([client], protocol.heartbeat_frame(self.redis_up, down))

    async def heartbeat_forever(self, interval: float = 2.0) -> None:
        while True:
            await asyncio.sleep(interval)
            self.heartbeat()

    async def views_forever(self, interval: float = 0.25) -> None:
        """Rotations advance and takeovers time out with the clock, not with events."""
        while True:
            await asyncio.sleep(interval)
            self.refresh_views()

    def alerts(self) -> list[dict[str, Any]]:
        return [
            {
                "id": w.id,
                "rule": w.rule,
                "severity": w.severity,
                "message": w.message,
                "raised_ms": w.raised_ms,
                "acked_by": w.acked_by,
                "cleared": w.cleared,
            }
            for w in self.wall_state.warnings
        ]

    def view_wire(self, view: View) -> dict[str, Any]:
        return {**view.wire(), "rev": self.source.current.revisions.get(view.layout, "")}

    def refresh_views(self) -> None:
        """Send each screen its view when it (or the alerts, or the layout) changed."""
        snapshot = self.source.current
        views = all_views(snapshot.config, self.wall_state, protocol.now_ms())
        alerts = self.alerts()
        alerts_sig = json.dumps(alerts, sort_keys=True)
        wires = {screen: self.view_wire(view) for screen, view in views.items()}
        changed = {screen for screen, wire in wires.items() if self.wires.get(screen) != wire}
        alerts_changed = alerts_sig != self.alerts_sig
        state_changed = self.wall_state.version != self.panel_version
        self.views, self.wires, self.alerts_sig = views, wires, alerts_sig
        self.panel_version = self.wall_state.version
        for screen, clients in self.clients.items():
            if screen == PANEL:
                if changed or alerts_changed or state_changed:
                    for cleared in (True, False):
                        group = [c for c in clients if c.principal.clearance == cleared]
                        if group:
                            self._send(group, self.panel_frame(wires, cleared))
            elif screen in wires and (screen in changed or alerts_changed):
                self._send(clients, protocol.view_frame(wires[screen], alerts))

    def panel_frame(self, wires: dict[str, dict[str, Any]], cleared: bool) -> str:
        """The wall state for panels; without clearance, classified rules' values removed."""
        state = json.loads(self.wall_state.to_json())
        if not cleared:
            state = redact_state(state, classified_rules(self.config))
        return protocol.wall_frame(state, wires)

    def _publish(self, batch: list[tuple[str, FeedEntry]]) -> None:
        self.published_at = time.monotonic()
        groups: dict[frozenset[str], list[Client]] = defaultdict(list)
        for clients in self.clients.values():
            for client in clients:
                if client.feeds:
                    groups[client.feeds].append(client)
        for feeds, members in groups.items():
            mine = [(feed, entry) for feed, entry in batch if feed in feeds]
            if not mine:
                continue
            try:
                self._send(members, protocol.data_frame(mine))
            except Exception:  # cannot happen for decoded entries; if it does, not fatal
                self._unforeseen("a data frame for %d screens could not be sent", len(members))

    @staticmethod
    def _send(clients: Iterable[Client], frame: str) -> None:
        ready = []
        for client in clients:
            if client.ready:
                ready.append(client.ws)
            else:
                client.backlog.append(frame)
        broadcast(ready, frame)

    def _snapshot(self, feeds: Iterable[str]) -> list[tuple[str, FeedEntry]]:
        now = protocol.now_ms()
        return [
            (feed, entry)
            for feed in sorted(feeds)
            for entry in self.caches[feed].recent(now - self.history_ms.get(feed, 0))
        ]

    def requested_feeds(self, client: Client, requested: Iterable[str] | None) -> frozenset[str]:
        if requested is None:  # a screen that does not say: its view's layout
            view = self.views.get(client.screen)
            requested = layout_feeds(self.config, view.layout if view else client.screen)
        return frozenset(requested) & self.allowed_feeds(client.principal, client.screen)

    async def _entries_for(
        self, feeds: Iterable[str], last: dict[str, str]
    ) -> list[tuple[str, FeedEntry]]:
        feeds = sorted(feeds)
        entries = self._snapshot(f for f in feeds if f not in last)
        for feed in feeds:
            if feed in last:
                entries += [(feed, e) for e in await self._after(feed, last[feed])]
        return entries

    async def attach(self, client: Client, hello: protocol.Hello) -> None:
        """Send the welcome, the view and the resume (or snapshot), then live entries in order."""
        if client.screen != PANEL:
            client.feeds = self.requested_feeds(client, hello.feeds)
        self.clients[client.screen].add(client)
        entries = await self._entries_for(client.feeds, hello.last)
        view = self.views.get(client.screen)
        rev = self.view_wire(view)["rev"] if view else ""
        down = self.unreachable & client.feeds
        await client.ws.send(protocol.welcome_frame(rev, self.redis_up, down))
        if client.screen == PANEL:
            wires = {s: self.view_wire(v) for s, v in self.views.items()}
            await client.ws.send(self.panel_frame(wires, client.principal.clearance))
        else:
            if view is not None:
                await client.ws.send(protocol.view_frame(self.view_wire(view), self.alerts()))
            await client.ws.send(protocol.data_frame(entries))
        while client.backlog:
            await client.ws.send(client.backlog.pop(0))
        client.ready = True

    async def subscribe(self, client: Client, sub: protocol.Subscribe) -> None:
        """The page now shows other tiles: send what the added feeds need, then keep them live."""
        feeds = self.requested_feeds(client, sub.feeds)
        added = feeds - client.feeds
        client.feeds = feeds
        if added:
            self._send([client], protocol.data_frame(await self._entries_for(added, sub.last)))

    async def _after(self, feed_id: str, last_id: str) -> list[FeedEntry]:
        cached = self.caches[feed_id].after(last_id)
        if cached is not None:
            return cached
        # Older than the cache: read the gap from the stream itself.
        try:
            reply = await self.writer.xrange(
                self.feed(feed_id).stream_key, f"({last_id}", "+", count=CACHE_ENTRIES * 5
            )
        except RedisError:
            return [e for e in self.caches[feed_id].entries if is_after(e.id, last_id)]
        decoded = [decode_entry(entry_id, fields) for entry_id, fields in raw_entries(reply)]
        return [entry for entry in decoded if isinstance(entry, FeedEntry)]

    def detach(self, client: Client) -> None:
        self.clients[client.screen].discard(client)

    def status(self) -> dict[str, Any]:
        return {
            "redis": self.redis_up,
            "unreachable": sorted(self.unreachable),  # feeds it cannot read (a node down)
            "screens": {s: len(c) for s, c in self.clients.items() if c},
            "entries": self.counts["entries"],
            "rejected": dict(self.rejected),
            "failures": self.counts["failures"],  # entries or frames that failed unforeseen
            "wall_version": self.wall_state.version,
        }

    async def close(self) -> None:
        await self.reader.aclose()
        await self.writer.aclose()


def dead_letter_fields(key: str, rejected: Rejected, raw: dict[Any, Any]) -> dict[str, str]:
    """A dead letter: the reason, the stream, the original fields escaped (bytes that are not
    UTF-8, lone surrogates) and cut short: keeping the evidence must not fail on the very entry
    it is about."""
    original = {escaped(k[:200]): escaped(v[:2000]) for k, v in list(raw.items())[:64]}
    return {
        "reason": escaped(rejected.reason),
        "stream": key,
        "entry": json.dumps(original, ensure_ascii=False),
    }


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
