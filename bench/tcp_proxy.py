"""A small TCP load balancer for benchmarks and fault injection, run in a thread.

New connections go to the upstream with the fewest open ones (as nginx's `least_conn` in
deploy/nginx.conf). A connection can be cut (RST, as a network fault would) or frozen (bytes stop
flowing both ways with no close: a half-open link that only a heartbeat can detect).
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass, field

from opswall.runtime.ports import free_port


@dataclass(eq=False)
class Link:
    upstream: int
    client: asyncio.StreamWriter
    server: asyncio.StreamWriter
    frozen: asyncio.Event = field(default_factory=asyncio.Event)


class TcpBalancer:
    def __init__(self, upstreams: list[int], port: int | None = None) -> None:
        self.upstreams = upstreams
        self.port = port or free_port()
        self.links: list[Link] = []
        self.accepted = 0
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tcp-balancer", daemon=True)

    def start(self) -> TcpBalancer:
        self._thread.start()
        self._ready.wait(10)
        return self

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        server = self.loop.run_until_complete(
            asyncio.start_server(self._accept, "127.0.0.1", self.port)
        )
        self._ready.set()
        self.loop.run_forever()
        server.close()

    def open_per_upstream(self) -> dict[int, int]:
        counts = dict.fromkeys(self.upstreams, 0)
        for link in self.links:
            counts[link.upstream] += 1
        return counts

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.accepted += 1
        counts = self.open_per_upstream()
        for upstream in sorted(self.upstreams, key=lambda port: counts[port]):
            try:
                up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream)
                break
            except OSError:
                continue  # that replica is down: try the next, as a health-checking balancer
        else:
            writer.transport.abort()
            return
        link = Link(upstream, writer, up_writer)
        self.links.append(link)
        try:
            await asyncio.gather(
                self._pipe(reader, up_writer, link), self._pipe(up_reader, writer, link)
            )
        finally:
            if link in self.links:
                self.links.remove(link)
            writer.transport.abort()
            up_writer.transport.abort()

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, link: Link) -> None:
        try:
            while data := await reader.read(65536):
                if link.frozen.is_set():
                    continue  # swallowed: the other side hears nothing, and no close
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.transport.abort()

    def _call(self, action: str, index: int) -> int:
        async def act() -> int:
            link = self.links[index]
            if action == "cut":
                link.client.transport.abort()
                link.server.transport.abort()
            else:
                link.frozen.set()
            return link.upstream

        return asyncio.run_coroutine_threadsafe(act(), self.loop).result(5)

    def cut(self, index: int = 0) -> int:
        """Reset one connection (the oldest by default); returns its upstream port."""
        return self._call("cut", index)

    def freeze(self, index: int = 0) -> int:
        return self._call("freeze", index)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(5)
