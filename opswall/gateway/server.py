"""The websocket server in front of the hub: /ws/<screen id>, plus /healthz."""

from __future__ import annotations

import asyncio
import http
import json
import logging

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from opswall.gateway import protocol
from opswall.gateway.hub import Client, Hub

log = logging.getLogger("opswall.gateway")

HELLO_TIMEOUT = 10.0
MAX_FRAME = 64 * 1024


def screen_of(path: str) -> str | None:
    parts = path.split("?", 1)[0].strip("/").split("/")
    return parts[1] if len(parts) == 2 and parts[0] == "ws" else None


class Gateway:
    def __init__(self, hub: Hub) -> None:
        self.hub = hub

    def health(self, connection: ServerConnection, request: Request) -> Response | None:
        if request.path != "/healthz":
            return None
        status = http.HTTPStatus.OK if self.hub.redis_up else http.HTTPStatus.SERVICE_UNAVAILABLE
        body = json.dumps(self.hub.status()).encode()
        headers = Headers([("Content-Type", "application/json")])
        return Response(status.value, status.phrase, headers, body)

    async def handle(self, ws: ServerConnection) -> None:
        screen = screen_of(ws.request.path if ws.request else "")
        if screen is None or screen not in self.hub.plans:
            await ws.close(1008, f"unknown screen {screen!r}")
            return
        try:
            hello = protocol.parse_hello(await asyncio.wait_for(ws.recv(), HELLO_TIMEOUT))
        except (protocol.ProtocolError, TimeoutError) as exc:
            await ws.close(1008, str(exc) or "no hello")
            return
        except ConnectionClosed:
            return
        client = Client(ws, screen)
        try:
            await self.hub.attach(client, hello)
            async for _ in ws:
                pass  # screens say nothing after hello; stray frames are ignored
        except ConnectionClosed:
            pass
        finally:
            self.hub.detach(client)

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


async def run_gateway(hub: Hub, host: str, port: int, ready: asyncio.Event | None = None) -> None:
    server = await Gateway(hub).serve(host, port)
    log.info("gateway listening on ws://%s:%d/ws/<screen>", host, port)
    if ready is not None:
        ready.set()
    async with asyncio.TaskGroup() as tasks:
        tasks.create_task(hub.read_forever())
        tasks.create_task(hub.watch_config())
        tasks.create_task(hub.heartbeat_forever())
        tasks.create_task(server.serve_forever())
