"""The websocket server in front of the gateway core: /ws/<screen> and /ws/_panel, plus /healthz.

Every socket authenticates in its hello: wall screens with their device token (checked against
the database, and re-checked while connected so a revoked token is cut off), people with a
one-time ticket the web app issued to their session.
"""

from __future__ import annotations

import asyncio
import http
import json
import logging
import socket
from collections.abc import Callable

from websockets.asyncio.server import Server, ServerConnection, broadcast, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from opswall import keys
from opswall.auth import audit
from opswall.auth.accounts import Accounts
from opswall.auth.principals import Principal
from opswall.auth.sessions import Sessions
from opswall.build import page_build
from opswall.clock import now_ms
from opswall.config.live import WATCH_INTERVAL, ConfigSource
from opswall.control.store import ControlStore
from opswall.control.warnings import WarningService
from opswall.gateway import protocol
from opswall.gateway.core import GatewayCore
from opswall.gateway.effects import Effects
from opswall.gateway.joins import Join
from opswall.gateway.reader import READ_BLOCK_MS, HistoryLoader, StreamReader
from opswall.gateway.screens import DRAFT, PANEL, L, Peer
from opswall.gateway.writer import Outlet, RecordWriter
from opswall.store.db import Database
from opswall.store.redis_client import AsyncClient, connect, connect_async, is_cluster

log = logging.getLogger("opswall.gateway")

HELLO_TIMEOUT = 10.0
MAX_FRAME = 64 * 1024
REVALIDATE_EVERY = 5.0
HEARTBEAT_EVERY = 2.0
VIEWS_EVERY = 0.25  # rotations advance and takeovers time out with the clock, not with events
RULES_EVERY = 1.0  # feeds that went silent raise their rules though no entry arrives
FLEET_EVERY = 2.0  # the fleet published, screen warnings judged, old pages updated
# Close codes: a refusal of who is asking (a page shows "not authorised" and stops) is told
# apart from a malformed frame or an unknown screen (1008, policy violation: it reconnects).
NOT_AUTHORISED = 4403


def screen_of(path: str) -> str | None:
    parts = path.split("?", 1)[0].strip("/").split("/")
    return parts[1] if len(parts) == 2 and parts[0] == "ws" else None


class Gateway:
    """The socket adapter of the core: authenticates each hello, joins the socket to the core,
    sends what the core answers, and cuts off sockets whose credentials ended."""

    def __init__(
        self,
        source: ConfigSource,
        core: GatewayCore[ServerConnection],
        reader: StreamReader[ServerConnection],
        outlet: Outlet[ServerConnection],
        db: Database,
        tickets: AsyncClient,
    ) -> None:
        self.source = source
        self.core = core
        self.reader = reader
        self.outlet = outlet
        self.db = db
        self.tickets = tickets  # one-time tickets the web app issued to people's sessions
        self.accounts = Accounts(db)
        self.sessions = Sessions(db)
        self.token_of: dict[Peer[ServerConnection], str] = {}  # a screen's device token
        self.session_of: dict[Peer[ServerConnection], str] = {}  # a person's session digest

    async def watch_config(self, interval: float = WATCH_INTERVAL) -> None:
        while True:
            await asyncio.sleep(interval)
            if self.source.refresh():
                await self.reader.reload(self.source.current)
                await asyncio.to_thread(
                    audit.record,
                    self.db,
                    audit.SYSTEM,
                    "config.reload",
                    str(self.source.path),
                    {"revisions": self.source.current.revisions},
                )

    # -- sockets -----------------------------------------------------------------------------
    def health(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.path != "/healthz":
            return None
        status = http.HTTPStatus.OK if self.core.redis_up else http.HTTPStatus.SERVICE_UNAVAILABLE
        body = json.dumps(self.core.status()).encode()
        headers = Headers(
            [("Content-Type", "application/json"), ("X-Content-Type-Options", "nosniff")]
        )
        return Response(status.value, status.phrase, headers, body)

    async def authenticate(self, hello: protocol.Hello) -> tuple[Principal | None, str]:
        """Who says hello, and the digest of the session their ticket came from (people)."""
        if hello.token:
            return await asyncio.to_thread(self.accounts.device, hello.token), ""
        if hello.ticket and len(hello.ticket) < 200:
            raw = await self.tickets.getdel(keys.ticket(hello.ticket))
            if raw:
                who = json.loads(raw)
                principal = Principal(str(who["name"]), str(who["role"]), bool(who["clearance"]))
                return principal, str(who.get("session", ""))
        return None, ""

    async def handle(self, ws: ServerConnection) -> None:
        screen = screen_of(ws.request.path if ws.request else "")
        if screen is None or not self.core.is_screen(screen):
            await ws.close(1008, f"unknown screen {screen!r}")
            return
        try:
            hello = protocol.parse_hello(await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT))
            principal, session = await self.authenticate(hello)
        except (protocol.ProtocolError, TimeoutError) as exc:
            await ws.close(1008, str(exc) or "no hello")
            return
        except ConnectionClosed:
            return
        wanted = "leader" if screen in (PANEL, DRAFT) else "viewer"
        if (
            principal is None
            or not principal.may(wanted)
            or not principal.may_show(screen)
            or (screen == DRAFT and principal.scope is not None)  # a draft: people, no token
        ):
            await ws.close(NOT_AUTHORISED, "not authorised for this screen")
            return
        join = self.core.join(ws, screen, principal, hello, now_ms())
        peer = join.peer
        if hello.token:
            self.token_of[peer] = hello.token
        if session:
            self.session_of[peer] = session
        try:
            await self._open(join)
            async for frame in ws:
                try:
                    message = protocol.parse_client_frame(frame)
                    if isinstance(message, protocol.Subscribe):
                        await self._subscribe(peer, message)
                    elif isinstance(message, protocol.Ping):
                        await ws.send(protocol.pong_frame(message, now_ms()))
                    else:
                        self.outlet.send(self.core.report(peer, message, now_ms()))
                except protocol.ProtocolError as exc:
                    await ws.close(1008, str(exc))
        except ConnectionClosed:
            pass
        finally:
            self.core.leave(peer, now_ms())
            self.token_of.pop(peer, None)
            self.session_of.pop(peer, None)

    async def _open(self, join: Join[ServerConnection]) -> None:
        """The welcome, the view and the resume (or snapshot), then what was held meanwhile;
        from then on the socket gets live frames with the others."""
        ws = join.peer.link
        filled = await self.reader.gaps(join)
        for frame in self.core.opening(join, filled, now_ms()):
            await ws.send(frame)
        while frames := self.core.backlog(join.peer):
            for frame in frames:
                await ws.send(frame)

    async def _subscribe(self, peer: Peer[ServerConnection], sub: protocol.Subscribe) -> None:
        join = self.core.resubscribe(peer, sub, now_ms())
        if join is not None:
            self.outlet.send(self.core.subscribed(join, await self.reader.gaps(join)))

    async def revalidate_forever(self) -> None:
        """Cut off screens whose device token was revoked, and people's sockets whose session
        ended (signed out, password or role changed, signed out everywhere), while connected."""
        while True:
            await asyncio.sleep(REVALIDATE_EVERY)
            await self._revalidate_tokens()
            await self._revalidate_sessions()

    async def _revalidate_tokens(self) -> None:
        held = dict(self.token_of)
        revoked = set()
        for token in set(held.values()):  # one lookup per token, not per socket
            if await asyncio.to_thread(self.accounts.device, token) is None:
                revoked.add(token)
        for peer, token in held.items():
            if token in revoked:
                await peer.link.close(NOT_AUTHORISED, "device token revoked")

    async def _revalidate_sessions(self) -> None:
        held = dict(self.session_of)
        if not held:
            return
        live = await asyncio.to_thread(self.sessions.live_digests, set(held.values()))
        for peer, digest in held.items():
            if digest not in live:
                await peer.link.close(NOT_AUTHORISED, "signed out")

    async def serve(self, host: str, port: int) -> Server:
        return await serve(
            self.handle,
            host,
            port,
            process_request=self.health,
            compression=None,  # LAN wall: per-connection compressors cost more than they save
            ping_interval=10,
            ping_timeout=10,
            max_size=MAX_FRAME,
        )


async def every(interval: float, tick: Callable[[int], Effects[L]], outlet: Outlet[L]) -> None:
    """A clock for the core: heart-beats, views (rotations, takeovers timing out), silence."""
    while True:
        await asyncio.sleep(interval)
        await outlet.carry_out(tick(now_ms()))


async def fleet_forever(
    core: GatewayCore[ServerConnection], outlet: Outlet[ServerConnection], writer: RecordWriter
) -> None:
    """The fleet's clock: published, judged with the other replicas' devices, old pages updated."""
    while True:
        await asyncio.sleep(FLEET_EVERY)
        now = now_ms()
        await outlet.carry_out(core.fleet_tick(now, await writer.others(now)))


async def run_gateway(
    source: ConfigSource,
    db: Database,
    redis_url: str,
    host: str,
    port: int,
    history: HistoryLoader | None = None,
    ready: asyncio.Event | None = None,
) -> None:
    """The gateway assembled: the core, and the adapters around it, each given its clients."""
    # The blocking read gets its own connection; resumes, dead letters and tickets the other.
    reading = connect_async(redis_url, socket_timeout=READ_BLOCK_MS / 1000 + 4)
    side = connect_async(redis_url, socket_timeout=5)
    core: GatewayCore[ServerConnection] = GatewayCore(
        source.current, is_cluster(reading), page_build()
    )
    warnings = WarningService(ControlStore(connect(redis_url, socket_timeout=5), db), db)
    writer = RecordWriter(side, warnings, core, replica=f"{socket.gethostname()}:{port}")
    outlet: Outlet[ServerConnection] = Outlet(broadcast, writer)
    reader = StreamReader(core, reading, side, outlet, history)
    gateway = Gateway(source, core, reader, outlet, db, side)
    server = await gateway.serve(host, port)
    log.info("gateway listening on ws://%s:%d/ws/<screen>", host, port)
    if ready is not None:
        ready.set()
    try:
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(reader.read_forever())
            tasks.create_task(gateway.watch_config())
            tasks.create_task(every(HEARTBEAT_EVERY, core.heartbeat, outlet))
            tasks.create_task(every(VIEWS_EVERY, core.refresh_views, outlet))
            tasks.create_task(every(RULES_EVERY, core.check_silence, outlet))
            tasks.create_task(fleet_forever(core, outlet, writer))
            tasks.create_task(gateway.revalidate_forever())
            tasks.create_task(server.serve_forever())
    finally:
        await reading.aclose()
        await side.aclose()
