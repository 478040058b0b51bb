"""What `/healthz` reports for the web process."""

from __future__ import annotations

from redis.exceptions import RedisError

from opswall.config.live import ConfigSource
from opswall.settings import Settings
from opswall.store.redis_client import connect


def web_health(source: ConfigSource, settings: Settings) -> dict[str, object]:
    redis_ok = False
    if settings.redis_url:
        client = connect(settings.redis_url, socket_timeout=1, socket_connect_timeout=1)
        try:
            redis_ok = bool(client.ping())
        except RedisError:
            redis_ok = False
        finally:
            client.close()
    return {
        "ok": redis_ok,
        "redis": redis_ok,
        "screens": [s.id for s in source.current.config.screens],
        "config_rejected": source.last_error is not None,
    }
