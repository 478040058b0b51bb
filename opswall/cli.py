"""The `opswall` command: check a config, or run the wall (all of it, or one part)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from opswall.config.loader import load_config
from opswall.config.source import ConfigSource
from opswall.errors import OpswallError, WallConfigError
from opswall.settings import DEFAULT_CONFIG, Settings
from opswall.tiles import default_registry

if TYPE_CHECKING:
    from opswall.store.db import Database

log = logging.getLogger("opswall")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="opswall", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate wall config files; exit 1 on errors")
    check.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_CONFIG])

    docs = commands.add_parser("docs", help="print (or update) the README's tile reference")
    mode = docs.add_mutually_exclusive_group()
    mode.add_argument("--write", type=Path, metavar="README", help="rewrite its generated block")
    mode.add_argument("--check", type=Path, metavar="README", help="exit 1 if it is out of date")

    token = commands.add_parser("token", help="device tokens for wall PCs: create, list, revoke")
    token_do = token.add_subparsers(dest="token_command", required=True)
    create = token_do.add_parser("create", help="print a one-time enrolment link for a wall PC")
    create.add_argument("--screen", default="*", help="the screen it may show (default: any)")
    create.add_argument("--label", default="", help="e.g. 'wall PC 3, left'")
    create.add_argument("--clearance", action="store_true", help="may show classified tiles")
    create.add_argument("--base-url", default="http://localhost:8050", help="the web app's URL")
    token_do.add_parser("list", help="every token, active or revoked")
    revoke = token_do.add_parser("revoke", help="cut a wall PC off (its screen shows it at once)")
    revoke.add_argument("id", type=int)
    user = commands.add_parser("user", help="add a person: leader, operator or admin")
    user.add_argument("name")
    user.add_argument("--role", choices=["leader", "operator", "admin"], default="leader")
    user.add_argument("--clearance", action="store_true")

    def part(name: str, text: str, port: int | None) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--config", type=Path, default=None, help="default: wall_config.yaml")
        if port is not None:
            sub.add_argument("--host", default=None)
            sub.add_argument("--port", type=int, default=None, help=f"default: {port}")
        return sub

    run = part("run", "start the whole demo wall: Redis, web, gateway, feeds", 8050)
    run.add_argument("--gateway-port", type=int, default=None, help="default: 8051")
    web = part("web", "serve the screens and the index page", 8050)
    web.add_argument("--gateway-port", type=int, default=None)
    part("gateway", "push feed entries to open screens over websockets", 8051)
    part("feeds", "run the feed simulators and adapters", None)
    return parser


def check(paths: list[Path]) -> int:
    registry = default_registry()
    failed = False
    for path in paths:
        try:
            config = load_config(path, registry)
        except WallConfigError as exc:
            print(exc, file=sys.stderr)
            failed = True
            continue
        tiles = sum(len(screen.tiles) for screen in config.screens)
        print(
            f"{path}: ok: {len(config.feeds)} feeds, {len(config.screens)} screens, {tiles} tiles"
        )
    return 1 if failed else 0


def docs(write: Path | None, check_path: Path | None) -> int:
    from opswall.docs import replace_block, tile_reference

    block = tile_reference(default_registry())
    target = write or check_path
    if target is None:
        print(block)
        return 0
    text = target.read_text(encoding="utf-8")
    updated = replace_block(text, block)
    if check_path is not None:
        if updated != text:
            print(
                f"{check_path}: the tile reference is out of date; run "
                f"`opswall docs --write {check_path}`",
                file=sys.stderr,
            )
            return 1
        return 0
    target.write_text(updated, encoding="utf-8")
    return 0


def tokens(args: argparse.Namespace) -> int:
    """Manage device tokens from a shell on the server (audited as the operating-system user)."""
    import getpass

    from opswall.auth import audit
    from opswall.auth.accounts import Accounts
    from opswall.auth.principals import Principal

    db = open_database(Settings.from_env())
    accounts = Accounts(db)
    who = Principal(f"cli:{getpass.getuser()}", "admin", clearance=True)
    if args.token_command == "create":
        label = args.label or f"screen {args.screen}"
        token_id, token = accounts.create_token(label, args.screen, args.clearance, who.name)
        audit.record(db, who, "token.create", str(token_id), {"screen": args.screen})
        screen = args.screen if args.screen != "*" else "<screen>"
        print(f"token {token_id}: open once on the wall PC (shown only now):")
        print(f"{args.base_url.rstrip('/')}/wall/{screen}?token={token}")
    elif args.token_command == "list":
        for t in accounts.tokens():
            state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
            clearance = " clearance" if t.clearance else ""
            print(f"{t.id:>4}  {t.screen:<12} {state:<24} {t.label}{clearance}")
    elif accounts.revoke_token(args.id, who.name):
        audit.record(db, who, "token.revoke", str(args.id))
        print(f"token {args.id} revoked")
    else:
        print(f"no active token {args.id}", file=sys.stderr)
        return 1
    return 0


def add_user(args: argparse.Namespace) -> int:
    import getpass

    from opswall.auth import audit
    from opswall.auth.accounts import AccountError, Accounts
    from opswall.auth.principals import Principal

    db = open_database(Settings.from_env())
    password = getpass.getpass(f"password for {args.name}: ")
    try:
        Accounts(db).create_user(args.name, password, args.role, args.clearance)
    except AccountError as exc:
        print(f"opswall user: {exc}", file=sys.stderr)
        return 1
    who = Principal(f"cli:{getpass.getuser()}", "admin")
    audit.record(db, who, "user.create", args.name, {"role": args.role})
    print(f"{args.name} ({args.role}) can now sign in")
    return 0


def _settings(args: argparse.Namespace) -> Settings:
    overrides = {"config_path": args.config}
    if args.command in ("run", "web"):
        overrides |= {"host": args.host, "port": args.port, "gateway_port": args.gateway_port}
    if args.command == "run":
        overrides |= {"gateway_host": args.host}  # both parts listen where the user asked
    if args.command == "gateway":
        overrides |= {"gateway_host": args.host, "gateway_port": args.port}
    return Settings.from_env(**overrides)


def _require_redis(settings: Settings) -> str:
    if not settings.redis_url:
        raise OpswallError("set OPSWALL_REDIS_URL (or use `opswall run`, which provides Redis)")
    return settings.redis_url


def open_database(settings: Settings) -> Database:
    from opswall.store.db import Database

    db = Database(settings.database_url)
    db.upgrade()
    return db


def announce_setup(db: Database, settings: Settings) -> None:
    """No user yet: create the admin from the environment, or print a one-time setup link."""
    import os

    from opswall.auth.accounts import Accounts

    accounts = Accounts(db)
    if accounts.has_users():
        return
    name, password = os.environ.get("OPSWALL_ADMIN_USER"), os.environ.get("OPSWALL_ADMIN_PASSWORD")
    if name and password:
        accounts.create_user(name, password, "admin", clearance=True)
        log.info("created the first admin %r from OPSWALL_ADMIN_USER", name)
        return
    token = accounts.setup_token()
    host = "localhost" if settings.host in ("0.0.0.0", "127.0.0.1") else settings.host
    print(
        f"opswall: no user yet. Create the first admin (one-time link): "
        f"http://{host}:{settings.port}/setup/{token}",
        flush=True,
    )


def serve_web(settings: Settings, source: ConfigSource) -> None:
    from waitress import serve

    from opswall.app import create_app

    db = open_database(settings)
    announce_setup(db, settings)
    app = create_app(source, settings, db)
    log.info("web on http://%s:%d/", settings.host, settings.port)
    serve(app.server, host=settings.host, port=settings.port, threads=16, _quiet=True)


def serve_gateway(settings: Settings, source: ConfigSource) -> None:
    from opswall.gateway.hub import Hub
    from opswall.gateway.server import run_gateway

    redis_url = _require_redis(settings)
    hub = Hub(source, redis_url)
    db = open_database(settings)
    asyncio.run(run_gateway(hub, db, redis_url, settings.gateway_host, settings.gateway_port))


def serve_feeds(settings: Settings, source: ConfigSource) -> None:
    from opswall.feeds.runner import FeedRunner

    runner = FeedRunner(source, _require_redis(settings))
    log.info("feed runner writing to %s", settings.redis_url)
    asyncio.run(runner.run())


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format=f"%(asctime)s {args.command:>7} %(levelname)s %(message)s"
    )
    logging.getLogger("websockets").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    if args.command == "check":
        return check(args.paths)
    if args.command == "docs":
        return docs(args.write, args.check)
    if args.command == "token":
        return tokens(args)
    if args.command == "user":
        return add_user(args)
    settings = _settings(args)
    try:
        if args.command == "run":
            load_config(settings.config_path, default_registry())  # fail fast, located
            from opswall.runtime.supervisor import run

            return run(settings)
        source = ConfigSource(settings.config_path, default_registry())
        {"web": serve_web, "gateway": serve_gateway, "feeds": serve_feeds}[args.command](
            settings, source
        )
    except WallConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OpswallError as exc:
        print(f"opswall {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0
