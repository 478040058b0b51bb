"""Synthetic wall screens: websocket clients that say hello as a wall page does and count what
arrives, so a benchmark can load gateways with many screens without a browser per screen.

usage: python -m bench.ws_screens --token T --screens 24 --url ws://127.0.0.1:P/ws/bench [--url ...]

Screens are spread over the URLs in turn (as a balancer would); with --per-screen K each shows K
of the layout's feeds (screens take the sets in turn), else all of them. Every second one JSON
line goes to stdout: entries received in that second over all screens, sockets open, and the
delivery lag (receive time minus the entry's `sent` field) of a sample of frames. A screen whose
socket drops says hello again.

The clients speak the websocket protocol themselves over asyncio transports (handshake, masked
hello, pong, frame lengths) and count entries in the raw payload bytes. A benchmark on a small
machine shares its cores with the clients: a full client library parsing every frame of every
screen would take the CPU the gateways are being measured with.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import json
import os
import random
import re
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

SAMPLE = 0.2  # share of data frames parsed for lags; the rest are only counted (cheap)
MAX_LAGS = 4000  # per one-second report: a uniform sample (reservoir) of the lags seen
ENTRY_MARK = b'"sent":'
SENT = re.compile(rb'"sent":"?([0-9.]+)')
DATA_PREFIX = b'{"type":"data"'
TEXT, CLOSE, PING, PONG = 0x1, 0x8, 0x9, 0xA


@dataclass
class Tally:
    entries: int = 0
    open: int = 0
    lags: list[float] = field(default_factory=list)
    seen: int = 0  # lags seen this second (the reservoir keeps MAX_LAGS of them)

    def lag(self, value: float) -> None:
        self.seen += 1
        if len(self.lags) < MAX_LAGS:
            self.lags.append(value)
        elif (slot := random.randrange(self.seen)) < MAX_LAGS:
            self.lags[slot] = value

    def reset(self) -> None:
        self.entries, self.lags, self.seen = 0, [], 0


def client_frame(opcode: int, payload: bytes) -> bytes:
    """A masked frame, as the protocol requires from clients (RFC 6455 5.3)."""
    mask = os.urandom(4)
    length = len(payload)
    if length < 126:
        head = bytes([0x80 | opcode, 0x80 | length])
    elif length < 1 << 16:
        head = bytes([0x80 | opcode, 0x80 | 126]) + length.to_bytes(2, "big")
    else:
        head = bytes([0x80 | opcode, 0x80 | 127]) + length.to_bytes(8, "big")
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return head + mask + masked


def split_frames(buffer: bytearray) -> tuple[list[tuple[int, bytes]], int]:
    """Complete server frames (opcode, payload) at the start of `buffer`, and the bytes they
    took. Server frames are never masked."""
    frames, pos, size = [], 0, len(buffer)
    while size - pos >= 2:
        opcode, length, head = buffer[pos] & 0x0F, buffer[pos + 1] & 0x7F, 2
        if length == 126:
            if size - pos < 4:
                break
            length, head = int.from_bytes(buffer[pos + 2 : pos + 4], "big"), 4
        elif length == 127:
            if size - pos < 10:
                break
            length, head = int.from_bytes(buffer[pos + 2 : pos + 10], "big"), 10
        if size - pos < head + length:
            break
        frames.append((opcode, bytes(buffer[pos + head : pos + head + length])))
        pos += head + length
    return frames, pos


def lags_of(payload: bytes, now_ms: float) -> list[float]:
    return [now_ms - float(sent) for sent in SENT.findall(payload)]


class Screen(asyncio.Protocol):
    def __init__(self, url: str, hello: bytes, tally: Tally) -> None:
        self.url, self.hello, self.tally = urlsplit(url), hello, tally
        self.buffer = bytearray()
        self.upgraded = False
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        key = base64.b64encode(os.urandom(16)).decode()
        transport.write(
            (
                f"GET {self.url.path} HTTP/1.1\r\nHost: {self.url.netloc}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        if not self.upgraded and not self._upgrade():
            return
        frames, used = split_frames(self.buffer)
        del self.buffer[:used]
        for opcode, payload in frames:
            self._frame(opcode, payload)

    def _upgrade(self) -> bool:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        assert self.transport is not None
        if b" 101 " not in self.buffer[: self.buffer.find(b"\r\n")]:
            self.transport.close()
            return False
        del self.buffer[: end + 4]
        self.upgraded = True
        self.tally.open += 1
        self.transport.write(client_frame(TEXT, self.hello))
        return True

    def _frame(self, opcode: int, payload: bytes) -> None:
        assert self.transport is not None
        if opcode == TEXT and payload.startswith(DATA_PREFIX):
            self.tally.entries += payload.count(ENTRY_MARK)
            if random.random() < SAMPLE:
                for lag in lags_of(payload, time.time() * 1000):
                    self.tally.lag(lag)
        elif opcode == PING:
            self.transport.write(client_frame(PONG, payload))
        elif opcode == CLOSE:
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if self.upgraded:
            self.tally.open -= 1
        if not self.closed.done():
            self.closed.set_result(None)


def shown_feeds(index: int, feeds: int, per_screen: int) -> list[str] | None:
    """The `per_screen` bench feeds screen `index` shows (screens take the sets in turn, as a
    wall's screens show different tiles), or None for the whole layout."""
    if not per_screen:
        return None
    first = index % (feeds // per_screen) * per_screen
    return [f"bench{first + j}" for j in range(per_screen)]


async def screen(url: str, token: str, tally: Tally, feeds: list[str] | None) -> None:
    message: dict[str, object] = {"type": "hello", "rev": "", "last": {}, "token": token}
    if feeds is not None:
        message["feeds"] = feeds
    hello = json.dumps(message).encode()
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    loop = asyncio.get_running_loop()
    while True:
        try:
            _, protocol = await loop.create_connection(
                lambda: Screen(url, hello, tally), host, port
            )
            await protocol.closed
        except OSError:
            pass
        await asyncio.sleep(0.5)


async def report(tally: Tally) -> None:
    while True:
        await asyncio.sleep(1.0)
        line = {"t": time.time(), "entries": tally.entries, "open": tally.open, "lags": tally.lags}
        print(json.dumps(line), flush=True)
        tally.reset()


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", required=True)
    parser.add_argument("--screens", type=int, default=8)
    parser.add_argument("--token", required=True)
    parser.add_argument("--feeds", type=int, default=0, help="bench feeds in the layout")
    parser.add_argument("--per-screen", type=int, default=0, help="feeds each screen shows")
    args = parser.parse_args(argv)
    tally = Tally()
    tasks = [
        asyncio.create_task(
            screen(
                args.url[i % len(args.url)],
                args.token,
                tally,
                shown_feeds(i, args.feeds, args.per_screen),
            )
        )
        for i in range(args.screens)
    ]
    await report(tally)
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(sys.argv[1:]))
