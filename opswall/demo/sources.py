"""Stand-ins for the external systems a real center connects to, so the demo runs offline:

- a ministry web service (JSON fuel prices, CSV weather stations) for `http_poll`, with ETag and
  Last-Modified so conditional requests are exercised;
- a customs database table that grows, for `sql_poll`;
- IoT river gauges publishing to an MQTT broker, for `mqtt`;
- a citizen-feedback portal that POSTs to our push endpoint, for `http_push`.

Each one behaves like the real thing would (it changes over time, it can be unavailable) and
none of them is imported by the wall itself.
"""

from __future__ import annotations

import asyncio
import csv
import email.utils
import hashlib
import io
import json
import logging
import os
import random
import sqlite3
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx

log = logging.getLogger("opswall.demo")

FUELS = {"ron95": 20830.0, "e5": 19940.0, "diesel": 18760.0}
STATIONS = [("Hà Nội", 21.0), ("Huế", 24.0), ("Đà Nẵng", 25.0), ("TP. Hồ Chí Minh", 29.0)]
PORTS = ["Cát Lái", "Hải Phòng", "Cái Mép", "Đà Nẵng", "Nội Bài", "Hữu Nghị", "Mộc Bài"]


class Documents:
    """The web service's documents: they change every `every` seconds, like a real feed."""

    def __init__(self, seed: int = 7, every: float = 10.0) -> None:
        self.rng = random.Random(seed)
        self.every = every
        self.lock = threading.Lock()
        self.version = -1
        self.modified = 0.0
        self.bodies: dict[str, bytes] = {}
        self.prices = dict(FUELS)

    def _rebuild(self) -> None:
        now = datetime.now(UTC)
        for name in self.prices:
            self.prices[name] = round(self.prices[name] + self.rng.choice((-1, 0, 1)) * 10, 0)
        fuel: dict[str, object] = {
            "updated": now.isoformat(timespec="seconds"),
            "source": "Bộ Công Thương (demo)",
            "prices": {k: {"price": v, "unit": "đ/lít"} for k, v in self.prices.items()},
        }
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["name", "temp", "humidity", "wind", "observed"])
        for name, base in STATIONS:
            writer.writerow(
                [
                    name,
                    round(base + self.rng.uniform(-2, 2), 1),
                    self.rng.randint(60, 95),
                    round(self.rng.uniform(0, 40), 1),
                    now.isoformat(timespec="seconds"),
                ]
            )
        self.bodies = {
            "/fuel.json": json.dumps(fuel, ensure_ascii=False).encode(),
            "/weather.csv": out.getvalue().encode(),
        }
        self.modified = time.time()

    def get(self, path: str) -> tuple[bytes, str, float] | None:
        with self.lock:
            version = int(time.time() // self.every)
            if version != self.version:
                self.version = version
                self._rebuild()
            body = self.bodies.get(path)
        if body is None:
            return None
        return body, '"' + hashlib.sha1(body).hexdigest()[:16] + '"', self.modified


def serve_documents(port: int, documents: Documents) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = documents.get(urlsplit(self.path).path)
            if found is None:
                self.send_error(404)
                return
            body, etag, modified = found
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            kind = "application/json" if self.path.endswith(".json") else "text/csv"
            self.send_response(200)
            self.send_header("Content-Type", f"{kind}; charset=utf-8")
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", email.utils.formatdate(modified, usegmt=True))
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True, name="demo-http").start()
    return server


def customs_table(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(
        "CREATE TABLE IF NOT EXISTS customs_declarations ("
        "id INTEGER PRIMARY KEY AUTOINCREMENT, declared_at TEXT NOT NULL, "
        "port TEXT NOT NULL, value_musd REAL NOT NULL)"
    )
    return connection


async def declare_forever(path: Path, every: float = 3.0, seed: int = 11) -> None:
    rng = random.Random(seed)
    connection = customs_table(path)
    while True:
        connection.execute(
            "INSERT INTO customs_declarations (declared_at, port, value_musd) VALUES (?, ?, ?)",
            (
                datetime.now(UTC).isoformat(timespec="milliseconds"),
                rng.choice(PORTS),
                round(rng.lognormvariate(0.5, 0.8), 2),
            ),
        )
        await asyncio.sleep(every * rng.uniform(0.6, 1.4))


async def gauges_forever(url: str, every: float = 3.0, seed: int = 13) -> None:
    import aiomqtt

    parts = urlsplit(url)
    rng = random.Random(seed)
    level = 5.2
    while True:
        try:
            async with aiomqtt.Client(parts.hostname or "127.0.0.1", parts.port or 1883) as client:
                while True:
                    level = min(11.5, max(2.0, level + rng.gauss(0, 0.05) + (5.2 - level) * 0.02))
                    payload = {"level": round(level, 2), "ts": datetime.now(UTC).isoformat()}
                    await client.publish("opswall/demo/river/hanoi", json.dumps(payload), qos=1)
                    await asyncio.sleep(every)
        except aiomqtt.MqttError as exc:
            log.warning("demo gauges: broker %s unavailable (%s); retrying", url, exc)
            await asyncio.sleep(5)


async def push_forever(base_url: str, token: str, every: float = 5.0, seed: int = 17) -> None:
    rng = random.Random(seed)
    received = 0
    topics = ["đất đai", "môi trường", "giao thông", "y tế", "thủ tục hành chính"]
    async with httpx.AsyncClient(timeout=5) as client:
        while True:
            received += rng.randint(0, 4)
            entry = {"value": received, "topic": rng.choice(topics)}
            try:
                response = await client.post(
                    f"{base_url}/api/feeds/citizen_feedback/entries",
                    json=entry,
                    headers={"Authorization": f"Bearer {token}"},
                )
                if response.status_code != 202:
                    log.warning(
                        "demo portal push refused: %s %s", response.status_code, response.text
                    )
            except httpx.HTTPError as exc:
                log.info("demo portal: web app not reachable yet (%s)", exc)
            await asyncio.sleep(every)


async def run(
    http_port: int, sql_path: Path, mqtt_url: str | None, web_url: str, token: str
) -> None:
    serve_documents(http_port, Documents())
    jobs = [declare_forever(sql_path)]
    if mqtt_url:
        jobs.append(gauges_forever(mqtt_url))
    if token:
        jobs.append(push_forever(web_url, token))
    log.info("demo sources: http on %d, customs table %s, mqtt %s", http_port, sql_path, mqtt_url)
    await asyncio.gather(*jobs)


def main_from_env() -> None:
    env = os.environ
    http = urlsplit(env.get("OPSWALL_DEMO_HTTP", "http://127.0.0.1:8059"))
    sql = env.get("OPSWALL_DEMO_SQL", "sqlite:///.opswall/demo-sources.db").removeprefix(
        "sqlite:///"
    )
    asyncio.run(
        run(
            http.port or 8059,
            Path(sql),
            env.get("OPSWALL_DEMO_MQTT") or None,
            env.get("OPSWALL_DEMO_WEB", "http://127.0.0.1:8050"),
            env.get("OPSWALL_DEMO_PUSH_TOKEN", ""),
        )
    )
