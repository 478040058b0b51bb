"""The sockets the core serves, and the frames it wants sent to them: the fan-out half of the
Sans-I/O core. Nothing here touches a socket; a send is queued as (links, frame) for the
adapter to broadcast, so a frame is encoded once for every socket of a group.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from opswall.auth.principals import Principal
from opswall.feeds.contract import FeedEntry
from opswall.gateway import protocol

log = logging.getLogger("opswall.gateway")

PANEL = "_panel"  # leaders' panels: the whole wall's state and the wall's alert feeds
# The studio's preview window (issue 20): a draft's layout drawn by the wall page on no screen.
# No view is ever sent to it (it shows what its page was rendered from), and it is no device.
DRAFT = "_draft"

L = TypeVar("L")  # the adapter's handle of a socket (a websockets connection); opaque here
Send = tuple[list[L], str]  # one frame, for these sockets


@dataclass(eq=False)
class Peer(Generic[L]):
    """One connected socket as the core sees it. Until `ready` (its opening frames are out),
    what would be sent to it waits in `backlog`, so nothing between its snapshot and its first
    live frame is lost or sent before the snapshot."""

    link: L
    screen: str  # a display screen id, PANEL or DRAFT
    principal: Principal
    feeds: frozenset[str] = frozenset()
    ready: bool = False
    backlog: list[str] = field(default_factory=list)


class Screens(Generic[L]):
    """The peers by screen, the link state they are told of, and the queue of frames to send."""

    def __init__(self) -> None:
        self.peers: dict[str, set[Peer[L]]] = defaultdict(set)
        self.outbox: list[Send[L]] = []
        self.redis_up = False
        self.unreachable: frozenset[str] = frozenset()  # feeds of slot groups that fail to read

    def __iter__(self) -> Iterator[Peer[L]]:
        return (peer for peers in self.peers.values() for peer in peers)

    def add(self, peer: Peer[L]) -> None:
        self.peers[peer.screen].add(peer)

    def discard(self, peer: Peer[L]) -> None:
        self.peers[peer.screen].discard(peer)

    def counts(self) -> dict[str, int]:
        return {screen: len(peers) for screen, peers in self.peers.items() if peers}

    def send(self, peers: Iterable[Peer[L]], frame: str) -> None:
        ready = []
        for peer in peers:
            if peer.ready:
                ready.append(peer.link)
            else:
                peer.backlog.append(frame)
        if ready:
            self.outbox.append((ready, frame))

    def take_outbox(self) -> list[Send[L]]:
        sends, self.outbox = self.outbox, []
        return sends

    def publish(self, batch: list[tuple[str, FeedEntry]], now: int) -> int:
        """Queue one data frame per distinct set of feeds, stamped with when to apply it (the
        same instant for every screen: a span's slices apply it in the same frame); returns
        how many failed."""
        groups: dict[frozenset[str], list[Peer[L]]] = defaultdict(list)
        for peer in self:
            if peer.feeds:
                groups[peer.feeds].append(peer)
        failures = 0
        for feeds, members in groups.items():
            mine = [(feed, entry) for feed, entry in batch if feed in feeds]
            if not mine:
                continue
            try:
                self.send(members, protocol.data_frame(mine, now + protocol.APPLY_MARGIN_MS))
            except Exception:  # cannot happen for decoded entries; if it does, not fatal
                failures += 1
                log.exception("a data frame for %d screens could not be sent", len(members))
        return failures

    def heartbeat(self, now: int) -> None:
        if not self.unreachable:  # the usual case: one frame for every screen
            frame = protocol.heartbeat_frame(self.redis_up, (), now)
            for peers in self.peers.values():
                self.send(peers, frame)
            return
        for peer in self:  # each told only of feeds it may see
            down = self.unreachable & peer.feeds
            self.send([peer], protocol.heartbeat_frame(self.redis_up, down, now))

    def set_redis(self, up: bool, now: int) -> None:
        if up != self.redis_up:
            self.redis_up = up
            self.heartbeat(now)

    def set_unreachable(self, feeds: frozenset[str], now: int) -> None:
        if feeds == self.unreachable:
            return
        if feeds and not self.unreachable:
            log.warning(
                "cannot read %d feeds (%s...): their tiles show as down", len(feeds), min(feeds)
            )
        elif not feeds:
            log.info("every feed reads again")
        self.unreachable = feeds
        self.heartbeat(now)

    def welcome(self, peer: Peer[L], rev: str, now: int) -> str:
        return protocol.welcome_frame(rev, self.redis_up, self.unreachable & peer.feeds, now)
