"""Run-time settings from the command line and the environment (never from the wall config)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_CONFIG = Path("wall_config.yaml")
DEFAULT_DATABASE = "sqlite:///.opswall/opswall.db"


@dataclass(frozen=True)
class Settings:
    config_path: Path = DEFAULT_CONFIG
    host: str = "127.0.0.1"
    port: int = 8050
    gateway_host: str = "127.0.0.1"
    gateway_port: int = 8051
    redis_url: str | None = None
    database_url: str = DEFAULT_DATABASE
    # What browsers dial: a full ws:// or wss:// URL (behind a proxy), or empty for
    # "the page's own host name, on gateway_port".
    public_gateway_url: str = ""
    # Clips and HLS recordings served at /media/ (sources with url: /media/...).
    media_dir: Path = Path(".opswall/media")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env = os.environ
        values: dict[str, object] = {
            "redis_url": env.get("OPSWALL_REDIS_URL") or None,
            "database_url": env.get("OPSWALL_DATABASE_URL") or DEFAULT_DATABASE,
            "public_gateway_url": env.get("OPSWALL_PUBLIC_GATEWAY_URL", ""),
            "media_dir": Path(env.get("OPSWALL_MEDIA_DIR") or ".opswall/media"),
        }
        if env.get("OPSWALL_CONFIG"):
            values["config_path"] = Path(env["OPSWALL_CONFIG"])
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def browser_gateway(self) -> str:
        """The gateway address handed to pages: a URL, or ':<port>' to keep the page's host."""
        return self.public_gateway_url or f":{self.gateway_port}"
