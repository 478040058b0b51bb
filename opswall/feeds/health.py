"""Feed health: how each feed is doing, judged from what its stream, its adapter and the dead
letters say. `assess` is pure; `probe` gathers its inputs from Redis in one round trip."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from opswall import clock
from opswall.config.models import Feed, WallConfig
from opswall.feeds.bounds import escaped
from opswall.feeds.contract import parse_ts
from opswall.feeds.stream_ids import id_time_ms, raw_entries
from opswall.keys import DEADLETTER_COUNTS, deadletter_stream, feed_health
from opswall.store.redis_client import SyncClient

State = Literal["ok", "late", "silent", "failing", "waiting"]
RATE_WINDOW_S = 300
RATE_CAP = 10_000  # entries counted per window: 2,000 a minute reads as "at least that"
SILENT_AFTER = 5  # times the stale window: late becomes silent


@dataclass(frozen=True)
class StreamFacts:
    """What Redis holds for one feed, as read by `probe`."""

    last_id: str | None = None
    last_ts: str | None = None  # the last entry's own `ts` field, if it had one
    recent: int = 0  # entries in the last RATE_WINDOW_S
    adapter: dict[str, str] = field(default_factory=dict)
    deadletters: int = 0
    last_bad: tuple[tuple[str, str, str], ...] = ()  # (entry id, reason, original) newest first


@dataclass(frozen=True)
class FeedHealth:
    feed: str
    kind: str
    state: State
    rate_per_min: float
    age_s: float | None  # since the newest entry arrived
    lag_s: float | None  # how old the newest entry's data was when it arrived
    errors: int
    last_error: str
    last_error_age_s: float | None
    deadletters: int
    last_bad: tuple[tuple[str, str, str], ...]
    expected_s: float  # the stale window (`Feed.stale_window`)
    cadence_s: float  # how often the feed is meant to send (the operators' page shows both)


def assess(feed: Feed, stale_after: float, facts: StreamFacts, now_ms: int) -> FeedHealth:
    window = feed.stale_window(stale_after)
    age = lag = None
    if facts.last_id is not None:
        arrived = id_time_ms(facts.last_id)
        age = max(0.0, (now_ms - arrived) / 1000)
        if facts.last_ts:
            try:
                lag = max(0.0, (arrived - parse_ts(facts.last_ts)) / 1000)
            except ValueError:
                lag = None
    adapter = facts.adapter
    error_ms = int(adapter.get("error_ms", 0) or 0)
    ok_ms = int(adapter.get("ok_ms", 0) or 0)
    state: State
    if adapter.get("state") == "retrying" and error_ms >= ok_ms:
        state = "failing"
    elif age is None:
        state = "waiting"
    elif age > window * SILENT_AFTER:
        state = "silent"
    elif age > window:
        state = "late"
    else:
        state = "ok"
    return FeedHealth(
        feed=feed.id,
        kind=feed.source.kind,
        state=state,
        rate_per_min=round(facts.recent * 60 / RATE_WINDOW_S, 2),
        age_s=age,
        lag_s=lag,
        errors=int(adapter.get("errors", 0) or 0),
        last_error=adapter.get("last_error", ""),
        last_error_age_s=(now_ms - error_ms) / 1000 if error_ms else None,
        deadletters=facts.deadletters,
        last_bad=facts.last_bad,
        expected_s=window,
        cadence_s=feed.cadence,
    )


def _text_map(raw: Any) -> dict[str, str]:
    """Fields as text; anything written by others is escaped where it is not UTF-8 (a poison
    entry at the head of a stream must not break the operators' page: issue 17)."""
    return {escaped(k): escaped(v) for k, v in (raw or {}).items()}


def probe(client: SyncClient, config: WallConfig, now_ms: int | None = None) -> list[FeedHealth]:
    """Every feed's health, from one pipelined round trip to Redis."""
    now = now_ms if now_ms is not None else clock.now_ms()
    since = f"{now - RATE_WINDOW_S * 1000}-0"
    pipe = client.pipeline(transaction=False)
    for feed in config.feeds:
        pipe.xrevrange(feed.stream_key, "+", "-", count=1)
        pipe.xrange(feed.stream_key, since, "+", count=RATE_CAP)
        pipe.hgetall(feed_health(feed.id))
        pipe.xrevrange(deadletter_stream(feed.id), "+", "-", count=5)
    pipe.hgetall(DEADLETTER_COUNTS)
    replies = pipe.execute()
    counts = _text_map(replies[-1])
    report = []
    for i, feed in enumerate(config.feeds):
        last, recent, adapter, bad = replies[i * 4 : i * 4 + 4]
        last_entries = raw_entries(last)
        last_fields = _text_map(last_entries[0][1]) if last_entries else {}
        bad_entries = [(entry_id, _text_map(fields)) for entry_id, fields in raw_entries(bad)]
        facts = StreamFacts(
            last_id=last_entries[0][0] if last_entries else None,
            last_ts=last_fields.get("ts"),
            recent=len(recent),
            adapter=_text_map(adapter),
            deadletters=int(counts.get(feed.id, 0)),
            last_bad=tuple((i_, f.get("reason", ""), f.get("entry", "")) for i_, f in bad_entries),
        )
        report.append(assess(feed, config.wall.stale_after, facts, now))
    return report


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


METRICS = (
    ("opswall_feed_up", "gauge", "1 when the feed is ok, else 0", lambda h: int(h.state == "ok")),
    (
        "opswall_feed_entries_per_minute",
        "gauge",
        "entries per minute over 5 minutes",
        lambda h: h.rate_per_min,
    ),
    (
        "opswall_feed_last_entry_age_seconds",
        "gauge",
        "seconds since the newest entry",
        lambda h: h.age_s,
    ),
    (
        "opswall_feed_expected_interval_seconds",
        "gauge",
        "the window after which the feed is late",
        lambda h: h.expected_s,
    ),
    (
        "opswall_feed_lag_seconds",
        "gauge",
        "data age of the newest entry when it arrived",
        lambda h: h.lag_s,
    ),
    ("opswall_feed_errors_total", "counter", "adapter failures", lambda h: h.errors),
    (
        "opswall_feed_deadletters_total",
        "counter",
        "entries set aside as malformed",
        lambda h: h.deadletters,
    ),
)


def metrics_text(report: list[FeedHealth]) -> str:
    """Prometheus text exposition (version 0.0.4)."""
    lines = []
    for name, kind, text, read in METRICS:
        lines += [f"# HELP {name} {text}", f"# TYPE {name} {kind}"]
        for h in report:
            value = read(h)
            if value is not None:
                lines.append(f'{name}{{feed="{_label(h.feed)}",kind="{h.kind}"}} {value}')
    lines += ["# HELP opswall_feed_state the feed's state", "# TYPE opswall_feed_state gauge"]
    for h in report:
        lines.append(f'opswall_feed_state{{feed="{_label(h.feed)}",state="{h.state}"}} 1')
    return "\n".join(lines) + "\n"
