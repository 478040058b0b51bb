"""The websocket server in front of the hub: /ws/<screen> and /ws/_panel, plus /healthz.

Every socket authenticates in its hello: wall screens with their device token (checked against
the database, and re-checked while connected so a revoked token is cut off), people with a
one-time ticket the web app issued to their session.
"""

from __future__ import annotations

import asyncio
import http
import json
import logging
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from opswall.auth import audit
from opswall.auth.accounts import Accounts
from opswall.auth.principals import Principal
from opswall.auth.sessions import Sessions
from opswall.config.source import WATCH_INTERVAL
from opswall.control.rules import Transition
from opswall.control.state import WallState
from opswall.control.store import ControlStore
from opswall.control.warnings import record_step
from opswall.gateway import protocol
from opswall.gateway.hub import PANEL, Client, Hub
from opswall.gateway.scope import audit_value
from opswall.store.db import Database
from opswall.store.redis_client import connect

log = logging.getLogger("opswall.gateway")

HELLO_TIMEOUT = 10.0
MAX_FRAME = 64 * 1024
REVALIDATE_EVERY = 5.0
# Close codes: a refusal of who is asking (a page shows "not authorised" and stops) is told
# apart from a malformed frame or an unknown screen (1008, policy violation: it reconnects).
NOT_AUTHORISED = 4403
TICKET_PREFIX = "ticket:"


def screen_of(path: str) -> str | None:
    parts = path.split("?", 1)[0].strip("/").split("/")
    return parts[1] if len(parts) == 2 and parts[0] == "ws" else None


class Gateway:
    def __init__(self, hub: Hub, db: Database, redis_url: str) -> None:
        self.hub = hub
        self.db = db
        self.accounts = Accounts(db)
        self.control = ControlStore(connect(redis_url, socket_timeout=5))
        self.sessions = Sessions(db)
        self.session_of: dict[Client, str] = {}  # a person's socket -> its session's digest
        hub.apply_control = self._apply_control
        hub.on_transition = self._record_transition

    # -- wiring to the record ----------------------------------------------------------------
    async def _apply_control(self, action: dict[str, Any]) -> tuple[WallState, WallState]:
        return await asyncio.to_thread(
            self.control.apply, action, audit.SYSTEM.name, self.hub.config
        )

    async def _record_transition(self, transition: Transition, _state: WallState) -> None:
        rule = transition.rule
        step = "raised" if transition.kind == "raise" else "cleared"
        message = rule.message.get("en")
        await asyncio.to_thread(
            record_step,
            self.db,
            transition.warning_id if step == "raised" else rule.id,
            step,
            "system",
            rule.id,
            rule.severity,
            message,
        )
        await asyncio.to_thread(
            audit.record,
            self.db,
            audit.SYSTEM,
            f"warning.{step}",
            rule.id,
            {"warning": transition.warning_id}
            | audit_value(self.hub.config, rule.id, transition.value),
        )

    async def watch_config(self, interval: float = WATCH_INTERVAL) -> None:
        while True:
            await asyncio.sleep(interval)
            if self.hub.source.refresh():
                await self.hub.reload()
                await asyncio.to_thread(
                    audit.record,
                    self.db,
                    audit.SYSTEM,
                    "config.reload",
                    str(self.hub.source.path),
                    {"revisions": self.hub.source.current.revisions},
                )

    # -- sockets -----------------------------------------------------------------------------
    def health(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.path != "/healthz":
            return None
        status = http.HTTPStatus.OK if self.hub.redis_up else http.HTTPStatus.SERVICE_UNAVAILABLE
        body = json.dumps(self.hub.status()).encode()
        headers = Headers(
            [("Content-Type", "application/json"), ("X-Content-Type-Options", "nosniff")]
        )
        return Response(status.value, status.phrase, headers, body)

    async def authenticate(self, hello: protocol.Hello) -> tuple[Principal | None, str]:
        """Who says hello, and the digest of the session their ticket came from (people)."""
        if hello.token:
            return await asyncio.to_thread(self.accounts.device, hello.token), ""
        if hello.ticket and len(hello.ticket) < 200:
            raw = await self.hub.writer.getdel(TICKET_PREFIX + hello.ticket)
            if raw:
                who = json.loads(raw)
                principal = Principal(str(who["name"]), str(who["role"]), bool(who["clearance"]))
                return principal, str(who.get("session", ""))
        return None, ""

    async def handle(self, ws: ServerConnection) -> None:
        screen = screen_of(ws.request.path if ws.request else "")
        if screen is None or not self.hub.is_screen(screen):
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
        wanted = "leader" if screen == PANEL else "viewer"
        if principal is None or not principal.may(wanted) or not principal.may_show(screen):
            await ws.close(NOT_AUTHORISED, "not authorised for this screen")
            return
        client = Client(ws, screen, principal, token=hello.token)
        if session:
            self.session_of[client] = session
        try:
            await self.hub.attach(client, hello)
            async for frame in ws:
                try:
                    await self.hub.subscribe(client, protocol.parse_client_frame(frame))
                except protocol.ProtocolError as exc:
                    await ws.close(1008, str(exc))
        except ConnectionClosed:
            pass
        finally:
            self.hub.detach(client)
            self.session_of.pop(client, None)

    async def revalidate_forever(self) -> None:
        """Cut off screens whose device token was revoked, and people's sockets whose session
        ended (signed out, password or role changed, signed out everywhere), while connected."""
        while True:
            await asyncio.sleep(REVALIDATE_EVERY)
            await self._revalidate_tokens()
            await self._revalidate_sessions()

    async def _revalidate_tokens(self) -> None:
        clients = [c for group in self.hub.clients.values() for c in group if c.token]
        revoked = set()
        for token in {c.token for c in clients}:  # one lookup per token, not per socket
            if await asyncio.to_thread(self.accounts.device, token) is None:
                revoked.add(token)
        for client in clients:
            if client.token in revoked:
                await client.ws.close(NOT_AUTHORISED, "device token revoked")

    async def _revalidate_sessions(self) -> None:
        held = dict(self.session_of)
        if not held:
            return
        live = await asyncio.to_thread(self.sessions.live_digests, set(held.values()))
        for client, digest in held.items():
            if digest not in live:
                await client.ws.close(NOT_AUTHORISED, "signed out")

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


async def run_gateway(
    hub: Hub,
    db: Database,
    redis_url: str,
    host: str,
    port: int,
    ready: asyncio.Event | None = None,
) -> None:
    gateway = Gateway(hub, db, redis_url)
    server = await gateway.serve(host, port)
    log.info("gateway listening on ws://%s:%d/ws/<screen>", host, port)
    if ready is not None:
        ready.set()
    async with asyncio.TaskGroup() as tasks:
        tasks.create_task(hub.read_forever())
        tasks.create_task(gateway.watch_config())
        tasks.create_task(hub.heartbeat_forever())
        tasks.create_task(hub.views_forever())
        tasks.create_task(hub.rules_forever())
        tasks.create_task(gateway.revalidate_forever())
        tasks.create_task(server.serve_forever())
