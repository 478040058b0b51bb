"""The `opswall` command line: one function per group of commands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeAlias

from opswall.config.hardware import parse_length
from opswall.settings import DEFAULT_CONFIG

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="opswall", description="Check a wall config, or run the wall (all of it, or a part)."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    _add_checks(commands)
    _add_admin(commands)
    _add_parts(commands)
    _add_records(commands)
    _add_config(commands)
    _add_screens(commands)
    _add_snapshot(commands)
    return parser


def _add_checks(commands: Commands) -> None:
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


def _add_admin(commands: Commands) -> None:
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


def _part(
    commands: Commands,
    name: str,
    text: str,
    port: int | None,
) -> argparse.ArgumentParser:
    sub = commands.add_parser(name, help=text)
    sub.add_argument("--config", type=Path, default=None, help="default: wall_config.yaml")
    if port is not None:
        sub.add_argument("--host", default=None)
        sub.add_argument("--port", type=int, default=None, help=f"default: {port}")
    return sub


def _add_parts(commands: Commands) -> None:
    run = _part(commands, "run", "start the whole wall: Redis, web, gateway, feeds", 8050)
    run.add_argument("--gateway-port", type=int, default=None, help="default: 8051")
    run.add_argument(
        "--demo-sources",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="start the demo's stand-in external systems (default: only for a config that "
        "names them, ${OPSWALL_DEMO_...}, as the demo's does)",
    )
    web = _part(commands, "web", "serve the screens and the index page", 8050)
    web.add_argument("--gateway-port", type=int, default=None)
    _part(commands, "gateway", "push feed entries to open screens over websockets", 8051)
    commands.add_parser(
        "redis-url", help="print the Redis the parts use: OPSWALL_REDIS_URL, or a running demo's"
    )
    commands.add_parser("demo-sources", help="the demo's stand-in external systems (run starts it)")
    commands.add_parser("demo-media", help="the demo's bridge points and cameras (run starts it)")


def _add_records(commands: Commands) -> None:
    feeds = _part(commands, "feeds", "run the feed simulators and adapters; or list or test", None)
    feeds.add_argument("action", nargs="?", choices=["run", "list", "test"], default="run")
    feeds.add_argument("feed", nargs="?", help="test: the feed to fetch once")
    feeds.add_argument("--timeout", type=float, default=30.0, help="test: how long to wait")
    ingest = _part(commands, "ingest", "back-fill a feed's history from a CSV", None)
    ingest.add_argument("feed")
    ingest.add_argument("csv", type=Path)
    ingest.add_argument("--ts-column", default="ts", help="epoch ms or ISO 8601 (default: ts)")
    indicators = _part(commands, "indicators", "an indicator's reports and every revision", None)
    indicators.add_argument("code")
    indicators.add_argument("--area", default="national")
    indicators.add_argument("--period", default=None)
    report = _part(commands, "report", "submit an indicator figure (a fix needs --reason)", None)
    report.add_argument("code")
    report.add_argument("period", help="e.g. 2026-10, 2026-Q3, 2026")
    report.add_argument("value", type=float)
    report.add_argument("--area", default="national")
    report.add_argument("--reason", default="")


def _add_config(commands: Commands) -> None:
    config = _part(commands, "config", "its revisions: history, show, diff, rollback", None)
    do = config.add_subparsers(dest="config_command", required=True)
    history = do.add_parser("history", help="every stored revision, newest first")
    history.add_argument("--limit", type=int, default=50)
    show = do.add_parser("show", help="print a revision's full text")
    show.add_argument("id", type=int)
    diff = do.add_parser("diff", help="a revision's diff against the one before (or --to)")
    diff.add_argument("id", type=int)
    diff.add_argument("--to", type=int, default=None, help="instead: against this revision")
    rollback = do.add_parser("rollback", help="write a revision back to the file (a new one)")
    rollback.add_argument("id", type=int)


def _add_screens(commands: Commands) -> None:
    fleet = _part(commands, "screens", "the wall PCs: list them, identify or reload one", None)
    fleet_do = fleet.add_subparsers(dest="screens_command", required=True)
    fleet_do.add_parser("list", help="every screen, worst first, with its devices")
    for name, text in (
        ("identify", "show the screen id and device label on that screen for 10 s"),
        ("reload", "reload that screen's page (or every screen's: '*')"),
    ):
        sub = fleet_do.add_parser(name, help=text)
        sub.add_argument("screen", help="a screen id, or '*' for all")


def _add_snapshot(commands: Commands) -> None:
    shot = _part(
        commands, "snapshot", "a screen as it was at an instant, as a PNG (issue 24)", None
    )
    shot.add_argument("--screen", required=True)
    shot.add_argument("--at", required=True, help="ISO 8601 (wall's time zone if no offset) or ms")
    shot.add_argument("--out", required=True, type=Path)
    shot.add_argument("--user", required=True, help="the leader or operator it is taken for")
    shot.add_argument("--url", default="http://127.0.0.1:8050", help="the running web app")
    shot.add_argument("--width", type=int, default=1920)
    shot.add_argument("--height", type=int, default=1080)
    shot.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for the page")
