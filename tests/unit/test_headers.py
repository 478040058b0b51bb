"""The Content-Security-Policy's parts: media hosts from the config, the gateway's origin."""

from __future__ import annotations

from pathlib import Path

import pytest

from opswall.config.loader import load_config
from opswall.settings import Settings
from opswall.tiles import default_registry
from opswall.web.headers import gateway_origins, media_origins, policy

FIXTURES = Path(__file__).parents[1] / "fixtures"


def test_media_hosts_come_from_the_sources_as_the_environment_expands_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An http(s) source's origin is allowed; a path on this server or an unset variable adds
    nothing."""
    config = load_config(FIXTURES / "minimal.yaml", default_registry())
    monkeypatch.delenv("OPSWALL_TEST_NO_SUCH_MEDIA", raising=False)
    assert media_origins(config) == []
    monkeypatch.setenv("OPSWALL_TEST_NO_SUCH_MEDIA", "https://media.example:8889")
    assert media_origins(config) == ["https://media.example:8889"]


def test_the_gateway_origin_is_the_public_url_or_this_host() -> None:
    """Pages dial the public gateway URL when one is set, else this host on the gateway port."""
    assert gateway_origins(Settings(gateway_port=9001), "wall.local:8050") == [
        "ws://wall.local:9001",
        "wss://wall.local:9001",
    ]
    public = Settings(public_gateway_url="wss://wall.example/ws")
    assert gateway_origins(public, "ignored") == ["wss://wall.example"]


def test_only_wall_pages_may_be_framed_and_scripts_need_a_hash() -> None:
    """frame-ancestors follows the page; scripts are 'self' plus the given hashes only."""
    framed = policy(["'sha256-abc'"], [], [], framed=True)
    assert "script-src 'self' 'sha256-abc';" in framed and "frame-ancestors 'self'" in framed
    assert "frame-ancestors 'none'" in policy([], [], [], framed=False)
