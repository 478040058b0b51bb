"""The `opswall` command: check a config, or run the wall (all of it, or one part)."""

from __future__ import annotations

import argparse
import logging
import os
import sys

from opswall.cli.parser import build_parser
from opswall.config.live import ConfigSource
from opswall.config.loader import load_config
from opswall.errors import OpswallError, WallConfigError
from opswall.settings import Settings
from opswall.terminal import printable
from opswall.tiles import default_registry

QUIET_LOGGERS = ("websockets", "alembic", "httpx")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format=f"%(asctime)s {args.command:>7} %(levelname)s %(message)s"
    )
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        return _command(args)
    except WallConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OpswallError as exc:
        print(printable(f"opswall {args.command}: {exc}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


def _command(args: argparse.Namespace) -> int:
    if args.command in ("check", "docs", "token", "user", "demo-media", "demo-sources"):
        return _standalone(args)

    if args.command != "run":
        _join_running_wall()
    if args.command == "config":
        from opswall.cli.config_revisions import config_command

        return config_command(args)
    settings = _settings(args)
    if args.command == "redis-url":
        from opswall.cli.parts import require_redis

        print(require_redis(settings))
        return 0
    if args.command == "run":
        from opswall.runtime.supervisor import run

        load_config(settings.config_path, default_registry())  # fail fast, located
        return run(settings, args.demo_sources)
    source = ConfigSource(settings.config_path, default_registry())
    if args.command in ("web", "gateway") or (args.command == "feeds" and args.action == "run"):
        from opswall.cli.parts import SERVE

        SERVE[args.command](settings, source)
        return 0
    if args.command == "screens":
        from opswall.cli.screens import screens

        return screens(args, settings, source)
    if args.command == "snapshot":
        from opswall.cli.parts import open_database
        from opswall.cli.snapshot import snapshot

        return snapshot(args, settings, open_database(settings))
    from opswall.cli.records import records

    return records(args, settings, source)


def _standalone(args: argparse.Namespace) -> int:
    """Commands that need neither Redis nor the live config."""
    if args.command in ("check", "docs"):
        from opswall.cli import checks

        if args.command == "check":
            return checks.check(args)
        return checks.docs(args.write, args.check)
    if args.command in ("token", "user"):
        from opswall.cli import admin

        return admin.tokens(args) if args.command == "token" else admin.add_user(args)
    if args.command == "demo-media":
        from opswall.runtime.demo import serve_demo_media

        serve_demo_media()
    else:
        from opswall.demo.sources import main_from_env

        main_from_env()
    return 0


def _join_running_wall() -> None:
    """No OPSWALL_REDIS_URL: take the environment of the `opswall run` running from this
    directory (its Redis, database and stand-ins' addresses), as its own parts have it."""
    from opswall.runtime.runfile import DATA_DIR, read_run_file

    if os.environ.get("OPSWALL_REDIS_URL"):
        return
    running = read_run_file(DATA_DIR)
    if running is not None:
        for name, value in running.env.items():
            os.environ.setdefault(name, value)


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {"config_path": getattr(args, "config", None)}
    if args.command in ("run", "web"):
        overrides |= {"host": args.host, "port": args.port, "gateway_port": args.gateway_port}
    if args.command == "run":
        overrides |= {"gateway_host": args.host}  # both parts listen where the user asked
    if args.command == "gateway":
        overrides |= {"gateway_host": args.host, "gateway_port": args.port}
    return Settings.from_env(**overrides)
