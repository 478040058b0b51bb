"""Chaos suite: scripted faults while screens are open and feeds run.

usage: python -m bench.chaos            (the full run: 4 screens, 30 feeds, 10 s outages)
       python -m bench.chaos --short    (CI: 2 screens, 6 feeds, 3 s outages)
       python -m bench.chaos --cluster  (on a Redis Cluster of 3 primaries + 3 replicas)

Faults: kill -9 and restart Redis (AOF on, as compose runs it); kill -9 and restart the
gateway; kill -9 and restart the web app; reset one screen's socket; freeze one screen's
socket (half-open: only heartbeats can tell); pause one feed; fill Redis to its memory limit;
poison: hostile entries on several feeds (bench/poison.py; `--only poison` runs it alone and
writes its own table).
With --cluster: kill -9 the cluster primary holding a feed, and nothing restarted (its replica is
promoted).

For each: the time from the heal until every screen applied an entry sent after it; whether every
screen showed the outage while it lasted (link down, source down or tiles stale: the wall never
shows old numbers as live); entries lost (in the stream, never applied) and applied twice, per
screen, counted against the stream itself; entries the gateway re-sent that screens dropped;
writes Redis refused; and screens showing an error page. The producer is paused at the end of
each fault so the audit compares complete streams.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import redis
from playwright.sync_api import Page, sync_playwright
from redis.crc import key_slot

from bench.docs_section import DOCS, replace_section
from bench.poison import POISON, dead_lettered, send_round
from bench.stack import Producer, Stack, bench_config, newest_sent, open_pages, page_trail
from opswall.feeds.stream_ids import as_text, is_after, raw_entries
from opswall.store.redis_client import SyncClient, connect
from opswall.testing import CHROMIUM_ARGS, chromium_path

RESULTS = Path(__file__).parent / "results"
READY = "#wall-screen[data-link=up]"


@dataclass
class Outcome:
    fault: str
    fault_s: float
    time_to_live_s: float
    shown_down: bool
    entries_checked: int
    lost: int
    applied_twice: int
    resent_dropped: int
    refused_writes: int
    error_pages: int
    # The poison fault's own measures (zero for the others).
    poisoned_feeds: int = 0
    hostile_sent: int = 0
    dead_lettered: int = 0
    screens_live: str = ""
    screens_stale: int = 0
    gateway_restarts: int = 0
    gateway_failures: int = 0


@dataclass
class Run:
    stack: Stack
    producer: Producer
    pages: list[Page]
    outage: float
    client: SyncClient
    measures: dict[str, Any] = field(default_factory=dict)  # a fault's own, for its Outcome
    excluded: set[tuple[str, str]] = field(default_factory=set)  # (key, id) never to apply

    def now_ms(self) -> float:
        return time.time() * 1000

    def showing_outage(self, feeds: list[str] | None = None) -> bool:
        """Every page shows the link or source down, or the watched tiles not live."""
        script = """feeds => {
          const root = document.querySelector('#wall-screen');
          if (!root) return false;
          if (root.dataset.link !== 'up') return true;
          // The bench screen's tile t<i> shows feed bench<i>.
          const ids = feeds && feeds.map(f => 't' + f.replace('bench', ''));
          const tiles = [...document.querySelectorAll('[data-tile][data-fresh]')].filter(
            el => !ids || ids.includes(el.dataset.tile));
          return tiles.length > 0 && tiles.every(el => el.dataset.fresh !== 'live');
        }"""
        return all(page.evaluate(script, feeds) for page in self.pages)

    def hold(self, seconds: float, feeds: list[str] | None = None) -> bool:
        """Wait out the fault; True if every page showed it at some point."""
        seen = False
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            seen = seen or self.showing_outage(feeds)
            time.sleep(0.25)
        return seen


Fault = Callable[[Run], tuple[bool, list[str] | None]]  # -> (shown down, feeds to watch)


def kill_redis(run: Run) -> tuple[bool, list[str] | None]:
    run.stack.kill_redis()
    seen = run.hold(run.outage)
    run.stack.start_redis()
    return seen, None


def kill_gateway(run: Run) -> tuple[bool, list[str] | None]:
    run.stack.kill_gateway()
    seen = run.hold(run.outage)
    run.stack.start_gateway()
    return seen, None


def kill_web(run: Run) -> tuple[bool, list[str] | None]:
    """Open screens need only the gateway: they stay live (nothing to show as down)."""
    run.stack.kill_web()
    run.hold(run.outage)
    run.stack.start_web()
    return True, None


def reset_socket(run: Run) -> tuple[bool, list[str] | None]:
    assert run.stack.balancer is not None
    run.stack.balancer.cut(0)
    time.sleep(0.5)
    return True, None


def freeze_socket(run: Run) -> tuple[bool, list[str] | None]:
    """Half-open: frames stop with no close. The page's heartbeat watchdog must notice."""
    assert run.stack.balancer is not None
    frozen_at = run.now_ms()
    run.stack.balancer.freeze(0)
    deadline = time.monotonic() + 30
    frozen_seen = False
    # The page records when its link went down: a reconnect that succeeds between two polls
    # would otherwise go unseen (one full run in six showed "NO" with the screen live again).
    script = "at => window.opswall.downSince > at || !window.opswall.linkUp"
    while time.monotonic() < deadline and not frozen_seen:
        frozen_seen = any(page.evaluate(script, frozen_at) for page in run.pages)
        time.sleep(0.25)
    return frozen_seen, None


def pause_feed(run: Run) -> tuple[bool, list[str] | None]:
    run.producer.paused_feeds.add(0)
    seen = run.hold(max(run.outage, 3.0), ["bench0"])
    run.producer.paused_feeds.discard(0)
    return seen, ["bench0"]


def fill_redis(run: Run) -> tuple[bool, list[str] | None]:
    """Hold Redis at its memory limit (noeviction, as production runs it), then free it.

    Another writer keeps filling whatever room frees up, so feed writes are refused throughout.
    """
    used = int(run.client.info("memory")["used_memory"])
    run.client.config_set("maxmemory", used + 8 * 2**20)
    filled = 0

    def top_up() -> None:
        nonlocal filled
        for size in (2**20, 2**14, 2**10, 64):  # big blocks, then small ones to the very edge
            try:
                while True:
                    run.client.set(f"chaos:filler:{filled}", b"x" * size)
                    filled += 1
            except redis.exceptions.OutOfMemoryError:
                pass

    seen = False
    deadline = time.monotonic() + run.outage
    checked = 0.0
    while time.monotonic() < deadline:
        # Room comes back whenever a client's output buffer drains (a gateway's read reply):
        # top up at once, or the feeds' writes slip into it and the fault is not held.
        top_up()
        if time.monotonic() - checked > 0.1:
            seen = seen or run.showing_outage()
            checked = time.monotonic()
        time.sleep(0.005)
    run.client.delete(*[f"chaos:filler:{i}" for i in range(filled)])
    run.client.config_set("maxmemory", 0)
    return seen, None


def fail_over_primary(run: Run) -> tuple[bool, list[str] | None]:
    """kill -9 of the cluster primary holding feed bench0; nothing is restarted: the fault lasts
    until a live node names its replica the primary of those slots. Only the feeds it held are
    watched (the others must not show as down: tests/browser/test_cluster_screens.py)."""
    cluster = run.stack.redis_cluster
    assert cluster is not None
    key = run.producer.key(0)
    owners = run.stack.primary_ports(run.producer.keys())
    victim = owners[key]
    hit = [feed_of(k) for k, port in owners.items() if port == victim]
    cluster.kill(victim)
    seen = False
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        seen = seen or run.showing_outage(hit)
        if cluster.primary_port(key_slot(key.encode())) not in (None, victim):
            break
        time.sleep(0.25)
    return seen, hit


STALE = """() => [...document.querySelectorAll('[data-tile][data-fresh]')].some(
  el => el.dataset.fresh !== 'live')"""


@dataclass
class Watch:
    """One page through the poison fault: live means its link stayed up and new entries kept
    arriving at every look; stale, that some tile was not live at some look (busy gateway)."""

    page: Page
    live: bool = True
    stale: bool = False
    newest: float = 0.0

    def look(self) -> None:
        newest = newest_sent(self.page)
        link_up = page_trail(self.page)["link"] == "up"
        self.live = self.live and link_up and newest > self.newest
        self.stale = self.stale or bool(self.page.evaluate(STALE))
        self.newest = newest


def gateway_health(run: Run) -> dict[str, Any]:
    url = f"http://127.0.0.1:{run.stack.gateway_ports[0]}/healthz"
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return dict(json.load(response))
    except OSError:
        return {}


def restarted_gateway(run: Run, pid: int, attempts: int = 3) -> int:
    """How often the gateway had to be started again (as a supervisor would) because it died
    meanwhile: 0 when it lived through. A gateway that dies on what the stream holds dies again
    on start (issue 17's crash loop): then every attempt counts."""
    part = run.stack.gateway_parts[0]
    if part.process is not None and part.process.poll() is None and part.pid == pid:
        return 0
    for attempt in range(1, attempts + 1):
        try:
            run.stack.start_gateway()
            return attempt
        except RuntimeError:  # exited before it answered /healthz
            continue
    return attempts


def poison(run: Run) -> tuple[bool, list[str] | None]:
    """Hostile entries on half the feeds (at least 3), round after round while the producer
    runs (issue 17). Screens need not show anything: they must stay live (returns True, as a
    killed web app does); what counts is in `run.measures`."""
    keys = run.producer.keys()
    keys = keys[: max(3, len(keys) // 2)]
    pid = run.stack.gateway_parts[0].pid
    sent: dict[str, list[str]] = {key: [] for key in keys}
    watches = [Watch(page, newest=newest_sent(page)) for page in run.pages]
    deadline = time.monotonic() + run.outage
    while time.monotonic() < deadline:
        for key, ids in send_round(run.client, keys, first=not sent[keys[0]]).items():
            sent[key] += ids
        time.sleep(0.5)
        for watch in watches:
            watch.look()
    run.excluded = {(key, entry_id) for key, ids in sent.items() for entry_id in ids}
    total = len(run.excluded)
    found, waited = 0, time.monotonic() + 20
    while found < total and time.monotonic() < waited:
        found = dead_lettered(run.client, sent, feed_of)
        time.sleep(0.25)
    run.measures = {
        "poisoned_feeds": len(keys),
        "hostile_sent": total,
        "dead_lettered": found,
        "screens_live": f"{sum(w.live for w in watches)}/{len(watches)}",
        "screens_stale": sum(w.stale for w in watches),
        "gateway_restarts": restarted_gateway(run, pid),
        "gateway_failures": int(gateway_health(run).get("failures", 0)),
    }
    return True, None


FAULTS: dict[str, Fault] = {
    "kill -9 redis, restart": kill_redis,
    "kill -9 gateway, restart": kill_gateway,
    "kill -9 web app, restart": kill_web,
    "reset one screen's socket": reset_socket,
    "freeze one screen's socket": freeze_socket,
    "pause one feed": pause_feed,
    "fill redis to maxmemory": fill_redis,
    POISON: poison,
}
# On a Redis Cluster of 3 primaries with a replica each (`--cluster`).
CLUSTER_FAULTS: dict[str, Fault] = {
    "kill -9 a cluster primary (replica promoted)": fail_over_primary
}
CLUSTER_SHARDS = 8


def feed_of(key: str) -> str:
    """The feed of a bench stream key, `feed:<id>` or sharded `feed:{s<k>}:<id>`."""
    return key.rsplit(":", 1)[-1]


def stream_tails(client: SyncClient, keys: list[str]) -> dict[str, str]:
    tails = {}
    for key in keys:
        last = raw_entries(client.xrevrange(key, "+", "-", count=1))
        tails[key] = last[0][0] if last else "0-0"
    return tails


def wait_live(run: Run, since_ms: float, feeds: list[str] | None, timeout: float) -> float:
    """Seconds until every page applied an entry sent after `since_ms` (inf: never)."""
    started = time.monotonic()
    waiting = list(run.pages)
    while waiting and time.monotonic() - started < timeout:
        waiting = [page for page in waiting if newest_sent(page, feeds) <= since_ms]
        time.sleep(0.05)
    return round(time.monotonic() - started, 2) if not waiting else float("inf")


def caught_up(run: Run, tails: dict[str, str], timeout: float = 20.0) -> None:
    """Wait until every page applied each stream's newest entry."""
    expected = {feed_of(key): last for key, last in tails.items() if last != "0-0"}
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        behind = 0
        for page in run.pages:
            applied = page.evaluate("() => window.opswall.lastIds")
            behind += any(is_after(last, applied.get(feed)) for feed, last in expected.items())
        if not behind:
            return
        time.sleep(0.1)


def audit(
    run: Run, marks: dict[str, str], tails: dict[str, str], redundant_before: list[int]
) -> tuple[int, int, int, int]:
    """(entries checked, lost, applied twice, re-sent and dropped) over every page. Entries the
    fault made to be refused (`run.excluded`) are not expected on any page."""
    checked = lost = twice = 0
    streams = {
        key: [
            as_text(entry_id)
            for entry_id, _ in raw_entries(run.client.xrange(key, f"({marks[key]}", tails[key]))
            if (key, as_text(entry_id)) not in run.excluded
        ]
        for key in tails
        if is_after(tails[key], marks[key])
    }
    redundant = 0
    for page, before in zip(run.pages, redundant_before, strict=True):
        seen = page_trail(page)
        redundant += seen["redundant"] - before
        for key, ids in streams.items():
            applied = [i for i in seen["trail"].get(feed_of(key), []) if is_after(i, marks[key])]
            checked += len(ids)
            lost += len(set(ids) - set(applied))
            twice += len(applied) - len(set(applied))
    return checked, lost, twice, redundant


def error_pages(run: Run) -> int:
    bad = 0
    for page in run.pages:
        text = page.evaluate("() => document.body ? document.body.innerText.slice(0, 4000) : ''")
        wrong_place = "/wall/bench" not in page.url
        broken = page.query_selector("#wall-screen") is None or page.query_selector(
            ".dash-fe-error__title"
        )
        words = ("Traceback", "Internal Server Error", "not authorised", "Đăng nhập")
        if wrong_place or broken or any(w in text for w in words):
            bad += 1
    return bad


def run_fault(run: Run, name: str, fault: Fault) -> Outcome:
    keys = run.producer.keys()
    marks = stream_tails(run.client, keys)
    refused_before = sum(run.producer.refused.values())
    run.measures, run.excluded = {}, set()
    redundant_before = [page_trail(page)["redundant"] for page in run.pages]
    started = time.monotonic()
    shown_down, feeds = fault(run)
    fault_s = round(time.monotonic() - started, 1)
    healed_ms = run.now_ms()
    time_to_live = wait_live(run, healed_ms, feeds, timeout=90)
    time.sleep(1.0)
    run.producer.running.clear()
    time.sleep(0.4)  # a write under way finishes
    tails = stream_tails(run.client, keys)
    caught_up(run, tails)
    checked, lost, twice, resent = audit(run, marks, tails, redundant_before)
    outcome = Outcome(
        name,
        fault_s,
        time_to_live,
        shown_down,
        checked,
        lost,
        twice,
        resent,
        sum(run.producer.refused.values()) - refused_before,
        error_pages(run),
        **run.measures,
    )
    run.producer.running.set()
    time.sleep(1.0)
    return outcome


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--short", action="store_true", help="the CI form")
    parser.add_argument("--only", action="append", help="run only faults containing this text")
    parser.add_argument("--out", type=Path, default=RESULTS / "chaos.json")
    parser.add_argument("--docs", action="store_true", help="write docs/reliability.md's table")
    parser.add_argument(
        "--cluster", action="store_true", help="a 3+3 Redis Cluster: a primary fails over"
    )
    args = parser.parse_args(argv)
    screens, feeds, rate, outage = (2, 6, 5.0, 3.0) if args.short else (4, 30, 5.0, 10.0)
    shards = CLUSTER_SHARDS if args.cluster else 0
    faults = {
        name: fault
        for name, fault in (CLUSTER_FAULTS if args.cluster else FAULTS).items()
        if not args.only or any(part in name for part in args.only)
    }
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "wall.yaml"
        config.write_text(bench_config(feeds, rate, shards=shards), encoding="utf-8")
        replicas = 1 if args.cluster else 0
        stack = Stack(Path(tmp), config, cluster=args.cluster, cluster_replicas=replicas).start()
        producer = Producer(stack.redis_url, feeds, rate, shards=shards)
        producer.start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
                pages = open_pages(browser, [stack.wall_url("bench")] * screens, READY)
                client = connect(stack.redis_url, socket_timeout=5)
                run = Run(stack, producer, pages, outage, client)
                time.sleep(2)
                outcomes = [run_fault(run, name, fault) for name, fault in faults.items()]
                browser.close()
        finally:
            producer.stopping.set()
            producer.join(5)
            stack.stop()
    report = {
        "form": "short" if args.short else "full",
        "command": "python -m bench.chaos" + (" --cluster" if args.cluster else ""),
        "redis": "3+3 Redis Cluster" if args.cluster else "one redis-server",
        "screens": screens,
        "feeds": feeds,
        "rate_hz": rate,
        "outcomes": [asdict(o) for o in outcomes],
    }
    print_table(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    if args.docs:
        write_docs(report, args.cluster)
    return report


def write_docs(report: dict[str, Any], cluster: bool) -> None:
    """The faults' table, and the poison fault's own (it measures other things)."""
    names = {o["fault"] for o in report["outcomes"]}
    if names - {POISON}:
        section = "chaos-cluster" if cluster else "chaos"
        replace_section(DOCS / "reliability.md", section, chaos_markdown(report))
    if POISON in names:
        replace_section(DOCS / "reliability.md", "chaos-poison", poison_markdown(report))


def intro(report: dict[str, Any], command: str) -> str:
    return (
        f"`{command}` ({report['form']} form): {report['screens']} screens in "
        f"headless Chromium, {report['feeds']} feeds at {report['rate_hz']:g} Hz each, "
        f"on {report['redis']}."
    )


def poison_markdown(report: dict[str, Any]) -> str:
    lines = [
        intro(report, f"{report['command']} --only poison"),
        "",
        "| fault | lasted s | poisoned feeds | hostile entries | dead-lettered | screens live "
        "throughout | screens with a tile stale at some look | entries checked | lost | applied "
        "twice | gateway restarts | unforeseen failures | error pages |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in report["outcomes"]:
        if o["fault"] == POISON:
            lines.append(
                f"| {o['fault']} | {o['fault_s']} | {o['poisoned_feeds']} | {o['hostile_sent']} "
                f"| {o['dead_lettered']} | {o['screens_live']} | {o['screens_stale']} | "
                f"{o['entries_checked']} | "
                f"{o['lost']} | {o['applied_twice']} | {o['gateway_restarts']} | "
                f"{o['gateway_failures']} | {o['error_pages']} |"
            )
    return "\n".join(lines)


def chaos_markdown(report: dict[str, Any]) -> str:
    lines = [
        intro(report, report["command"]),
        "",
        "| fault | fault lasted s | every screen live again after s | outage shown on every "
        "screen | entries checked | lost | applied twice | re-sent, dropped | writes Redis "
        "refused | error pages |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for o in report["outcomes"]:
        if o["fault"] == POISON:
            continue  # its own table: poison_markdown
        lines.append(
            f"| {o['fault']} | {o['fault_s']} | {o['time_to_live_s']} | "
            f"{'yes' if o['shown_down'] else 'NO'} | {o['entries_checked']} | {o['lost']} | "
            f"{o['applied_twice']} | {o['resent_dropped']} | {o['refused_writes']} | "
            f"{o['error_pages']} |"
        )
    return "\n".join(lines)


def print_table(report: dict[str, Any]) -> None:
    head = (
        f"{'fault':28} {'fault s':>7} {'to live s':>9} {'shown':>5} {'checked':>8} {'lost':>5} "
        f"{'twice':>5} {'resent':>6} {'refused':>7} {'errors':>6}"
    )
    print(
        f"chaos ({report['form']}): {report['screens']} screens, {report['feeds']} feeds "
        f"at {report['rate_hz']:g} Hz"
    )
    print(head)
    print("-" * len(head))
    for o in report["outcomes"]:
        print(
            f"{o['fault']:28} {o['fault_s']:>7} {o['time_to_live_s']:>9} "
            f"{'yes' if o['shown_down'] else 'NO':>5} {o['entries_checked']:>8} {o['lost']:>5} "
            f"{o['applied_twice']:>5} {o['resent_dropped']:>6} {o['refused_writes']:>7} "
            f"{o['error_pages']:>6}"
        )
    for o in report["outcomes"]:
        if o["fault"] == POISON:
            print(
                f"poison: {o['hostile_sent']} hostile entries on {o['poisoned_feeds']} feeds, "
                f"{o['dead_lettered']} dead-lettered; screens live throughout {o['screens_live']} "
                f"({o['screens_stale']} with a stale tile at some look); "
                f"gateway restarts {o['gateway_restarts']}, unforeseen failures "
                f"{o['gateway_failures']}"
            )


def healthy(report: dict[str, Any]) -> bool:
    """Nothing lost or applied twice, no error page, every screen live again; the gateway never
    restarted, and every hostile entry set aside."""
    return all(
        o["lost"] == 0
        and o["applied_twice"] == 0
        and o["error_pages"] == 0
        and o["time_to_live_s"] != float("inf")
        and o["gateway_restarts"] == 0
        and o["dead_lettered"] == o["hostile_sent"]
        for o in report["outcomes"]
    )


if __name__ == "__main__":
    raise SystemExit(0 if healthy(main()) else 1)
