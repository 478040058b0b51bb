"""The screen fleet from the web process and the CLI (issue 21): what the gateways published
(`keys.FLEET`, one field per replica) merged into one list of screens, and operators' commands
(identify, reload) written to the stream every gateway reads (`keys.SCREEN_CMD`), audited."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from opswall.auth import audit
from opswall.auth.accounts import Accounts
from opswall.auth.principals import Principal
from opswall.config.models import WallConfig
from opswall.control.fleet import DOWN, merged, screen_rows
from opswall.errors import OpswallError
from opswall.keys import FLEET, SCREEN_CMD
from opswall.store.db import Database
from opswall.store.redis_client import SyncClient

COMMANDS = ("identify", "reload")
ALL = "*"
CMD_MAXLEN = 100


class FleetError(OpswallError):
    """A command naming no screen of the wall, or no command the screens know."""


def labels(accounts: Accounts) -> dict[str, str]:
    """Device names as the gateway knows them ("device:<id>") -> the token's label."""
    return {f"device:{t.id}": t.label for t in accounts.tokens()}


def read_fleet(
    client: SyncClient, config: WallConfig, now: int, names: dict[str, str]
) -> list[dict[str, Any]]:
    """Every screen of the config against the devices the live gateways serve, worst first;
    each device with its token's label (`names`, from `labels`)."""
    devices, watched = merged(client.hvals(FLEET), now)
    named = [d | {"label": names.get(d["device"], d["device"])} for d in devices]
    return screen_rows([s.id for s in config.displays()], named, watched)


def issue(
    client: SyncClient,
    db: Database,
    who: Principal,
    config: WallConfig,
    command: str,
    screen: str,
) -> None:
    """Send `command` to `screen` (or ALL), for every gateway to pass on; audited."""
    if command not in COMMANDS:
        raise FleetError(f"unknown command {command[:40]!r} (known: {', '.join(COMMANDS)})")
    displays = {s.id for s in config.displays()}
    if screen != ALL and screen not in displays:
        shown = ", ".join(sorted(displays))
        raise FleetError(f"unknown screen {screen[:64]!r} (screens: {shown}, or {ALL})")
    fields = {"command": command, "screen": screen, "by": who.name}
    if command == "identify":
        fields["labels"] = json.dumps(labels(Accounts(db)), ensure_ascii=False)
    client.xadd(SCREEN_CMD, fields, maxlen=CMD_MAXLEN, approximate=True)  # type: ignore[arg-type]
    audit.record(db, who, f"screen.{command}", screen)


def _paint_age(row: dict[str, Any], now: int) -> float | None:
    painted = [d["report"]["paint_at"] for d in row["devices"] if d.get("report")]
    return max(0, now - max(painted)) / 1000 if painted else None


def _connected(row: dict[str, Any], now: int) -> int:
    return sum(1 for d in row["devices"] if d["state"] != "disconnected")


def _errors(row: dict[str, Any], now: int) -> int:
    return sum((d.get("report") or {}).get("errors", 0) for d in row["devices"])


SCREEN_METRICS: tuple[tuple[str, str, Callable[[dict[str, Any], int], float | None]], ...] = (
    (
        "opswall_screen_up",
        "1 when a device shows the screen and paints, else 0",
        lambda row, now: int(row["state"] not in DOWN),
    ),
    ("opswall_screen_devices", "devices connected to the screen", _connected),
    ("opswall_screen_paint_age_seconds", "since its device last painted", _paint_age),
    ("opswall_screen_script_errors", "script errors its pages counted since loading", _errors),
)


def screen_metrics(rows: list[dict[str, Any]], now: int) -> str:
    """Prometheus text (0.0.4) per screen. Screen ids are config identifiers: nothing in
    them needs escaping in a label."""
    lines = []
    for name, text, read in SCREEN_METRICS:
        lines += [f"# HELP {name} {text}", f"# TYPE {name} gauge"]
        for row in rows:
            if (value := read(row, now)) is not None:
                lines.append(f'{name}{{screen="{row["screen"]}"}} {value}')
    lines += ["# HELP opswall_screen_state the screen's state", "# TYPE opswall_screen_state gauge"]
    for row in rows:
        lines.append(f'opswall_screen_state{{screen="{row["screen"]}",state="{row["state"]}"}} 1')
    return "\n".join(lines) + "\n"
