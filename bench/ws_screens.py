"""Synthetic wall screens: websocket clients that say hello as a wall page does and count what
arrives, so a benchmark can load gateways with many screens without a browser per screen.

usage: python -m bench.ws_screens --token T --screens 24 --url ws://127.0.0.1:P/ws/bench [--url ...]

Screens are spread over the URLs in turn (as a balancer would). Every second one JSON line goes to
stdout: entries received in that second over all screens, sockets open, and the delivery lag
(receive time minus the entry's `sent` field) of a sample of frames. A screen whose socket drops
says hello again.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import sys
import time
from dataclasses import dataclass, field

from websockets.asyncio.client import connect
from websockets.exceptions import WebSocketException

SAMPLE = 0.2  # share of data frames parsed for lags; the rest are only counted (cheap)


@dataclass
class Tally:
    entries: int = 0
    open: int = 0
    lags: list[float] = field(default_factory=list)


def count_entries(frame: str) -> int:
    return frame.count('"sent":')


def lags_of(frame: str, now_ms: float) -> list[float]:
    entries = json.loads(frame).get("entries", [])
    return [now_ms - float(e[3]["sent"]) for e in entries if "sent" in e[3]]


async def screen(url: str, token: str, tally: Tally) -> None:
    while True:
        try:
            async with connect(url, max_size=None, open_timeout=10) as ws:
                await ws.send(json.dumps({"type": "hello", "rev": "", "last": {}, "token": token}))
                tally.open += 1
                try:
                    async for frame in ws:
                        if isinstance(frame, bytes) or not frame.startswith('{"type":"data"'):
                            continue
                        tally.entries += count_entries(frame)
                        if random.random() < SAMPLE:
                            tally.lags += lags_of(frame, time.time() * 1000)
                finally:
                    tally.open -= 1
        except (OSError, WebSocketException, TimeoutError):
            await asyncio.sleep(0.5)


async def report(tally: Tally) -> None:
    while True:
        await asyncio.sleep(1.0)
        line = {"t": time.time(), "entries": tally.entries, "open": tally.open, "lags": tally.lags}
        print(json.dumps(line), flush=True)
        tally.entries, tally.lags = 0, []


async def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", action="append", required=True)
    parser.add_argument("--screens", type=int, default=8)
    parser.add_argument("--token", required=True)
    args = parser.parse_args(argv)
    tally = Tally()
    tasks = [
        asyncio.create_task(screen(args.url[i % len(args.url)], args.token, tally))
        for i in range(args.screens)
    ]
    await report(tally)
    for task in tasks:
        task.cancel()


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(sys.argv[1:]))
