"""The gateway core's half of the screen fleet (issue 21), Sans-I/O like the rest of the core:
the devices its sockets are, their reports, the warnings of screens that are down, the
commands operators send to screens (identify, reload) and the page-build update that reloads
old pages one at a time.

Commands reach every gateway replica through one stream (`keys.SCREEN_CMD`); each replica acts
on the screens it serves. A command older than COMMAND_TTL_MS when read (a start, a long outage)
is dropped: a screen must not reload for a click made minutes ago.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Generic

from opswall.config.models import WallConfig
from opswall.control.fleet import Alarms, Expected, Fleet, Report, ScreenTransition, screen_rows
from opswall.feeds.stream_ids import RawEntry, as_text, parse_id
from opswall.gateway import protocol
from opswall.gateway.screens import PANEL, L, Peer, Screens

COMMAND_TTL_MS = 30_000
IDENTIFY_MS = 10_000
UPDATE_SPACING_MS = 20_000  # one old page reloads, then the next no sooner than this
COMMANDS = ("identify", "reload")
Others = tuple[list[dict[str, Any]], int]  # the other replicas' devices (`fleet.merged`)


@dataclass(frozen=True)
class Published:
    """The fleet as this gateway sees it, for the web process (`keys.FLEET`)."""

    at: int
    build: str
    devices: list[dict[str, Any]]
    watched_since: int  # screens without a device here have had none since then at least

    def json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)


class FleetDesk(Generic[L]):
    def __init__(self, build: str) -> None:
        self.build = build  # the page build this gateway's installation serves
        self.fleet: Fleet[Peer[L]] = Fleet()
        self.alarms = Alarms()
        self.watched_since: int | None = None  # the first tick: screens have had no device since
        self.updated_at = -UPDATE_SPACING_MS  # the last page-build reload asked

    @staticmethod
    def counts(peer: Peer[L]) -> bool:
        """Wall PCs are the fleet: a device token on a screen (people's pages are not)."""
        return peer.screen != PANEL and peer.principal.scope is not None

    def join(self, peer: Peer[L], now: int) -> None:
        if self.counts(peer):
            self.fleet.connect(peer, peer.principal.name, peer.screen, now)

    def leave(self, peer: Peer[L], now: int) -> None:
        self.fleet.disconnect(peer, now)

    def report(self, peer: Peer[L], report: Report, now: int, views: dict[str, str]) -> None:
        self.fleet.report(peer, report, now, views.get(peer.screen))

    def tick(
        self,
        config: WallConfig,
        views: dict[str, str],
        now: int,
        screens: Screens[L],
        others: Others,
    ) -> tuple[Published, list[ScreenTransition]]:
        """The fleet to publish, and the screen warnings to raise or clear. Warnings judge
        the whole fleet: this gateway's devices and the `others` replicas published."""
        if self.watched_since is None:
            self.watched_since = now
        expected = Expected(self.build, views)
        devices = self.fleet.rows(now, expected)
        displays = [s.id for s in config.displays()]
        watched = min(self.watched_since, others[1])
        rows = screen_rows(displays, devices + others[0], watched)
        after = int(config.wall.screen_down_after * 1000)
        self._update(expected, now, screens)
        published = Published(now, self.build, devices, self.watched_since)
        return published, self.alarms.judge(rows, now, after)

    def _update(self, expected: Expected, now: int, screens: Screens[L]) -> None:
        """A page of an old build reloads, one at a time: the next only UPDATE_SPACING_MS
        later (its reload and first paint in between); the page waits for a quiet moment."""
        if now - self.updated_at < UPDATE_SPACING_MS:
            return
        for peer, device in sorted(self.fleet.reporting().items(), key=lambda i: i[1].connected_at):
            if device.report is not None and device.report.build != expected.build:
                screens.send([peer], protocol.reload_frame("build"))
                self.updated_at = now
                return

    def commands(self, entries: list[RawEntry], now: int, screens: Screens[L]) -> str | None:
        """Operators' commands read from the stream, each sent to the sockets it names; the
        id to read on from (None: nothing was read)."""
        last = entries[-1][0] if entries else None
        for entry_id, raw in entries:
            fields = {as_text(k): as_text(v) for k, v in raw.items()}
            try:
                issued = parse_id(entry_id)[0]
            except ValueError:
                continue
            if now - issued > COMMAND_TTL_MS or fields.get("command") not in COMMANDS:
                continue
            self._command(fields, now, screens)
        return last

    def _command(self, fields: dict[str, str], now: int, screens: Screens[L]) -> None:
        target = fields.get("screen", "")
        peers = [p for p in self.fleet.reporting() if target in ("*", p.screen)]
        if fields["command"] == "reload":
            for peer in peers:
                screens.send([peer], protocol.reload_frame("operator"))
            return
        try:
            labels = json.loads(fields.get("labels", "{}"))
        except ValueError:
            labels = {}
        for peer in peers:
            name = peer.principal.name
            label = str(labels.get(name, name)) if isinstance(labels, dict) else name
            screens.send([peer], protocol.identify_frame(peer.screen, label, IDENTIFY_MS, now))
