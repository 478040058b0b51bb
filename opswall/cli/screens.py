"""`opswall screens list|identify|reload` (issue 21): the screen fleet from a shell on the
server, as /admin/screens shows it; commands are audited as the operating-system user."""

from __future__ import annotations

import argparse
import getpass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from opswall.auth.accounts import Accounts
from opswall.auth.principals import Principal
from opswall.clock import now_ms
from opswall.config.live import ConfigSource
from opswall.control.fleet_store import ALL, issue, labels, read_fleet
from opswall.settings import Settings
from opswall.store.redis_client import connect
from opswall.terminal import printable


def screens(args: argparse.Namespace, settings: Settings, source: ConfigSource) -> int:
    from opswall.cli.parts import open_database, require_redis

    client = connect(require_redis(settings), socket_timeout=5, decode_responses=True)
    db = open_database(settings)
    config = source.current.config
    if args.screens_command == "list":
        zone = ZoneInfo(config.wall.timezone)
        now = now_ms()
        for row in read_fleet(client, config, now, labels(Accounts(db))):
            print(printable(line(row, zone, now)))
        return 0
    who = Principal(f"cli:{getpass.getuser()}", "operator")
    issue(client, db, who, config, args.screens_command, args.screen)
    target = "every screen" if args.screen == ALL else f"screen {args.screen}"
    print(f"{args.screens_command} sent to {target}")
    return 0


def line(row: dict[str, Any], zone: ZoneInfo, now: int) -> str:
    """One screen: its state and since when (the wall's clock), then each device."""
    since = datetime.fromtimestamp(row["since"] / 1000, UTC).astimezone(zone)
    devices = "; ".join(f"{d['label']} {d['state']}" + paint_age(d, now) for d in row["devices"])
    return f"{row['screen']:<16} {row['state']:<13} since {since:%Y-%m-%d %H:%M:%S}  {devices}"


def paint_age(device: dict[str, Any], now: int) -> str:
    report = device.get("report") or {}
    if "paint_at" not in report:
        return ""
    return f" (painted {max(0, now - report['paint_at']) // 1000} s ago)"
