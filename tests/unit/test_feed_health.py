"""Feed health is judged from facts: the newest entry's age, the adapter's own report, dead
letters. Pure, so every state is shown without waiting for a clock."""

from __future__ import annotations

from opswall.config.models import Feed
from opswall.feeds.health import StreamFacts, assess, metrics_text

NOW = 1_800_000_000_000


def feed(**extra: object) -> Feed:
    return Feed.model_validate(
        {"id": "load", "label": "Load", "cadence": "2s", "source": {"kind": "redis"}, **extra}
    )


def test_age_against_the_stale_window_decides_ok_late_silent_waiting() -> None:
    def state(age_s: float | None) -> str:
        last = None if age_s is None else f"{NOW - int(age_s * 1000)}-0"
        return assess(feed(), 3.0, StreamFacts(last_id=last), NOW).state

    assert [state(1), state(7), state(31), state(None)] == ["ok", "late", "silent", "waiting"]
    assert (
        assess(feed(stale_after=10), 3.0, StreamFacts(last_id=f"{NOW - 7000}-0"), NOW).state == "ok"
    )


def test_a_failing_adapter_wins_until_it_works_again() -> None:
    failing = {
        "state": "retrying",
        "error_ms": str(NOW - 500),
        "ok_ms": str(NOW - 9000),
        "errors": "4",
        "last_error": "GET http://x answered HTTP 500",
    }
    health = assess(feed(), 3.0, StreamFacts(last_id=f"{NOW - 1000}-0", adapter=failing), NOW)
    assert (health.state, health.errors, health.last_error) == ("failing", 4, failing["last_error"])
    # A success after the error (the runner records both): the feed is judged by its data again.
    recovered = {**failing, "ok_ms": str(NOW - 100)}
    last = f"{NOW - 100}-0"
    assert assess(feed(), 3.0, StreamFacts(last_id=last, adapter=recovered), NOW).state == "ok"


def test_lag_rate_and_metrics() -> None:
    facts = StreamFacts(
        last_id=f"{NOW - 1000}-0",
        last_ts=str(NOW - 4000),
        recent=60,
        deadletters=3,
        last_bad=(("1-0", "no data fields (only ts)", "{}"),),
    )
    health = assess(feed(), 3.0, facts, NOW)
    assert (health.age_s, health.lag_s, health.rate_per_min) == (1.0, 3.0, 12.0)
    text = metrics_text([health])
    assert 'opswall_feed_up{feed="load",kind="redis"} 1' in text
    assert 'opswall_feed_deadletters_total{feed="load",kind="redis"} 3' in text
    assert 'opswall_feed_lag_seconds{feed="load",kind="redis"} 3.0' in text
    assert 'opswall_feed_state{feed="load",state="ok"} 1' in text
    assert "# TYPE opswall_feed_errors_total counter" in text
