"""The `opswall` command: check a config, or run the wall (all of it, or one part)."""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from opswall.config.hardware import parse_length
from opswall.config.loader import load_config
from opswall.config.source import ConfigSource
from opswall.errors import OpswallError, WallConfigError
from opswall.settings import DEFAULT_CONFIG, Settings
from opswall.terminal import printable
from opswall.tiles import default_registry

if TYPE_CHECKING:
    from opswall.auth.scopes import TokenScope
    from opswall.config.models import WallConfig
    from opswall.store.db import Database

log = logging.getLogger("opswall")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="opswall", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("check", help="validate wall config files; exit 1 on errors")
    check.add_argument("paths", nargs="*", type=Path, default=[DEFAULT_CONFIG])
    render = check.add_argument_group("legibility (draws every screen in headless Chromium)")
    render.add_argument("--render", action="store_true", help="judge text sizes and cut glyphs")
    render.add_argument("--distance", type=parse_length, help="e.g. 5m (default: the config's)")
    render.add_argument("--diagonal", type=float, help="every screen's diagonal, in inches")
    render.add_argument("--screen", action="append", default=[], help="only this screen")
    render.add_argument("--shots", type=Path, help="write annotated screenshots to this folder")

    docs = commands.add_parser("docs", help="print (or update) the README's tile reference")
    mode = docs.add_mutually_exclusive_group()
    mode.add_argument("--write", type=Path, metavar="README", help="rewrite its generated block")
    mode.add_argument("--check", type=Path, metavar="README", help="exit 1 if it is out of date")

    token = commands.add_parser("token", help="device tokens for wall PCs: create, list, revoke")
    token_do = token.add_subparsers(dest="token_command", required=True)
    create = token_do.add_parser("create", help="print a one-time enrolment link for a wall PC")
    scope = create.add_mutually_exclusive_group()
    scope.add_argument("--screen", default="*", help="the screen it may show (default: any)")
    scope.add_argument("--feed", help="instead: a producer's token to push entries to this feed")
    scope.add_argument("--agency", help="instead: an agency's token to submit indicator reports")
    scope.add_argument("--metrics", action="store_true", help="instead: a Prometheus scrape token")
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
    feeds = part("feeds", "run the feed simulators and adapters; or list them, or test one", None)
    feeds.add_argument("action", nargs="?", choices=["run", "list", "test"], default="run")
    feeds.add_argument("feed", nargs="?", help="test: the feed to fetch once")
    feeds.add_argument("--timeout", type=float, default=30.0, help="test: how long to wait")
    commands.add_parser("demo-sources", help="the demo's stand-in external systems (run starts it)")
    commands.add_parser("demo-media", help="the demo's bridge points and cameras (run starts it)")
    ingest = part("ingest", "back-fill a feed's history from a CSV with a time column", None)
    ingest.add_argument("feed")
    ingest.add_argument("csv", type=Path)
    ingest.add_argument("--ts-column", default="ts", help="epoch ms or ISO 8601 (default: ts)")
    indicators = part("indicators", "an indicator's reports and every revision of them", None)
    indicators.add_argument("code")
    indicators.add_argument("--area", default="national")
    indicators.add_argument("--period", default=None)
    report = part("report", "submit an indicator figure (a correction needs --reason)", None)
    report.add_argument("code")
    report.add_argument("period", help="e.g. 2026-10, 2026-Q3, 2026")
    report.add_argument("value", type=float)
    report.add_argument("--area", default="national")
    report.add_argument("--reason", default="")
    return parser


def check(args: argparse.Namespace) -> int:
    registry = default_registry()
    failed = False
    for path in args.paths:
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
        if args.render:
            failed = check_render(path, config, args) or failed
    return 1 if failed else 0


def check_render(path: Path, config: WallConfig, args: argparse.Namespace) -> bool:
    """Draw the config's screens and judge them; True if anything is an error."""
    from opswall.legibility.render import RenderOptions, physical_of, print_report, render_check

    options = RenderOptions(args.distance, args.diagonal, tuple(args.screen), args.shots)
    try:
        reports = render_check(path, config, options)
    except ImportError:
        print(
            "opswall check --render needs Playwright: pip install 'opswall[render]'",
            file=sys.stderr,
        )
        return True
    known = all(
        physical_of(config, r.screen, options).mm_per_px is not None for r in reports
    ) and bool(options.distance_mm or config.wall.viewing_distance)
    return print_report(reports, known) != 0


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
    from opswall.auth.scopes import ScopeError

    db = open_database(Settings.from_env())
    accounts = Accounts(db)
    who = Principal(f"cli:{getpass.getuser()}", "admin", clearance=True)
    if args.token_command == "create":
        try:
            scope, label = _token_scope(args)
        except ScopeError as exc:
            print(f"opswall token: {exc}", file=sys.stderr)
            return 1
        token_id, token = accounts.create_token(label, scope, args.clearance, who.name)
        detail = {"kind": scope.kind.value, "scope": str(scope)}
        audit.record(db, who, "token.create", str(token_id), detail)
        base = args.base_url.rstrip("/")
        if args.feed:
            print(f"token {token_id} for producers of {args.feed} (shown only now): {token}")
            print(f"POST {base}/api/feeds/{args.feed}/entries  Authorization: Bearer {token}")
        elif args.agency:
            print(f"token {token_id} for {args.agency}'s reports (shown only now): {token}")
            print(f"POST {base}/api/reports?agency={args.agency}  Authorization: Bearer {token}")
        elif args.metrics:
            print(f"token {token_id} for Prometheus (shown only now): {token}")
        else:
            screen = args.screen if args.screen != "*" else "<screen>"
            print(f"token {token_id}: open once on the wall PC (shown only now):")
            print(f"{base}/wall/{screen}?token={token}")
    elif args.token_command == "list":
        for t in accounts.tokens():
            state = f"revoked {t.revoked_at:%Y-%m-%d %H:%M}" if t.revoked_at else "active"
            clearance = " clearance" if t.clearance else ""
            print(printable(f"{t.id:>4}  {t.screen:<12} {state:<24} {t.label}{clearance}"))
    elif accounts.revoke_token(args.id, who.name):
        audit.record(db, who, "token.revoke", str(args.id))
        print(f"token {args.id} revoked")
    else:
        print(f"no active token {args.id}", file=sys.stderr)
        return 1
    return 0


def _token_scope(args: argparse.Namespace) -> tuple[TokenScope, str]:
    """What the token may do, typed from the flag that names its kind, and its label."""
    from opswall.auth.scopes import ScopeError, TokenKind, TokenScope

    if args.feed:
        return TokenScope(TokenKind.PRODUCER, args.feed), args.label or f"producer of {args.feed}"
    if args.agency:
        return TokenScope(TokenKind.AGENCY, args.agency), args.label or f"reports of {args.agency}"
    if args.metrics:
        return TokenScope(TokenKind.METRICS), args.label or "metrics scrape"
    if TokenScope.parse(args.screen).kind is not TokenKind.SCREEN:  # "--screen agency:X"
        raise ScopeError(f"--screen {args.screen!r}: use --feed, --agency or --metrics for that")
    return TokenScope(TokenKind.SCREEN, args.screen), args.label or f"screen {args.screen}"


def add_user(args: argparse.Namespace) -> int:
    import getpass

    from opswall.auth import audit
    from opswall.auth.accounts import AccountError, Accounts
    from opswall.auth.principals import Principal

    db = open_database(Settings.from_env())
    password = getpass.getpass(f"password for {args.name}: ")
    try:
        name = Accounts(db).create_user(args.name, password, args.role, args.clearance)
    except AccountError as exc:
        print(f"opswall user: {exc}", file=sys.stderr)
        return 1
    who = Principal(f"cli:{getpass.getuser()}", "admin")
    audit.record(db, who, "user.create", name, {"role": args.role})
    print(f"{name} ({args.role}) can now sign in")
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
    source.watch()
    log.info("web on http://%s:%d/", settings.host, settings.port)
    # Each wall PC's browser keeps up to 6 idle keep-alive connections: waitress's default limit
    # of 100 stalled page loads from the 17th screen on (found by the 24-screen benchmark).
    serve(
        app.server,
        host=settings.host,
        port=settings.port,
        threads=16,
        connection_limit=1000,
        # Waitress drops X-Forwarded-* from proxies it was not told to trust, before the app's
        # ProxyFix (OPSWALL_TRUSTED_PROXIES) could read them: every client looked like the proxy.
        clear_untrusted_proxy_headers=not os.environ.get("OPSWALL_TRUSTED_PROXIES"),
        _quiet=True,
    )


def serve_gateway(settings: Settings, source: ConfigSource) -> None:
    from opswall.gateway.server import run_gateway
    from opswall.history.store import load

    redis_url = _require_redis(settings)
    db = open_database(settings)
    # Modules, config and the database layer live as long as the process: keeping them out of
    # full collections shortens the collector's pauses, which screens would see as lag spikes.
    gc.freeze()
    history = functools.partial(load, db)  # recorded entries older than the streams hold
    asyncio.run(
        run_gateway(source, db, redis_url, settings.gateway_host, settings.gateway_port, history)
    )


def serve_feeds(settings: Settings, source: ConfigSource) -> None:
    from opswall.feeds.runner import FeedRunner

    runner = FeedRunner(source, _require_redis(settings))
    db = open_database(settings)
    log.info(
        "feed runner writing to %s, recording to %s", settings.redis_url, db.url.render_as_string()
    )
    asyncio.run(runner.run(db))


def records(args: argparse.Namespace, settings: Settings, source: ConfigSource) -> int:
    from opswall import cli_records

    if args.command == "feeds":
        if args.action == "list":
            return cli_records.feeds_list(source.current.config, settings)
        if not args.feed:
            raise OpswallError("name the feed to test: opswall feeds test <feed>")
        return cli_records.feeds_test(source, args.feed, args.timeout)
    db = open_database(settings)
    if args.command == "indicators":
        return cli_records.indicators_history(db, args.code, args.area, args.period)
    if args.command == "report":
        return cli_records.report(source, db, args)
    feed = next((f for f in source.current.config.feeds if f.id == args.feed), None)
    if feed is None:
        raise OpswallError(f"unknown feed '{args.feed}'")
    counts = cli_records.ingest(db, feed, args.csv, args.ts_column)
    print(
        f"{feed.id}: {counts['read']:,} rows read, {counts['new']:,} recorded, "
        f"{counts['read'] - counts['new'] - counts['rejected']:,} already there, "
        f"{counts['rejected']:,} refused"
    )
    return 1 if counts["rejected"] and not counts["new"] else 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format=f"%(asctime)s {args.command:>7} %(levelname)s %(message)s"
    )
    logging.getLogger("websockets").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if args.command == "check":
        return check(args)
    if args.command == "docs":
        return docs(args.write, args.check)
    if args.command == "token":
        return tokens(args)
    if args.command == "user":
        return add_user(args)
    if args.command == "demo-media":
        from opswall.runtime.demo import serve_demo_media

        serve_demo_media()
        return 0
    if args.command == "demo-sources":
        from opswall.demo.sources import main_from_env

        main_from_env()
        return 0
    settings = _settings(args)
    try:
        if args.command == "run":
            load_config(settings.config_path, default_registry())  # fail fast, located
            from opswall.runtime.supervisor import run

            return run(settings)
        source = ConfigSource(settings.config_path, default_registry())
        if args.command in ("ingest", "indicators", "report") or (
            args.command == "feeds" and args.action != "run"
        ):
            return records(args, settings, source)
        {"web": serve_web, "gateway": serve_gateway, "feeds": serve_feeds}[args.command](
            settings, source
        )
    except WallConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    except OpswallError as exc:
        print(printable(f"opswall {args.command}: {exc}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0
