"""Addresses a tile may show: only what the wall's own server serves, never an outside URL."""

from __future__ import annotations

from pathlib import Path

from opswall.config.video import url_problem

ASSETS = Path(__file__).parents[1] / "assets"


def same_origin_path(value: str) -> str:
    """'/wall/emergency' stays; 'https://…', '//host/…' or '/\\host/…' (a browser reads the
    backslash as '/') is refused: nothing from outside."""
    if not value.startswith("/"):
        raise ValueError(f"'{value}' must be a path on this server, starting with one '/'")
    problem = url_problem(value)
    if problem:
        raise ValueError(f"{value!r}: {problem}")
    return value


def is_bundled(value: str) -> bool:
    """True when `value` names a file inside opswall/assets/ (no escaping it with '..')."""
    path = (ASSETS / value).resolve()
    return ASSETS.resolve() in path.parents and path.is_file()


def asset_path(value: str) -> str:
    """'img/opswall-logo.svg' -> '/assets/img/opswall-logo.svg', if that file is bundled."""
    if not is_bundled(value):
        raise ValueError(f"no file '{value}' under opswall/assets/")
    return f"/assets/{value}"
