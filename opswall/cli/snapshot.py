"""`opswall snapshot --screen S --at T --out file.png` (issue 24): a screen as it was, drawn by
the running web app's replay page in headless Chromium, for a session's minutes.

The command acts for a named leader or operator: it opens a short server-side session for them
(as signing in does, audited), hands its signed cookie to the browser, and ends it after the
shot. A machine with no Chromium says so and exits 1."""

from __future__ import annotations

import argparse
from pathlib import Path

from flask import Flask

from opswall.auth import audit
from opswall.auth.sessions import Client, Sessions
from opswall.errors import OpswallError
from opswall.settings import Settings
from opswall.store.db import Database
from opswall.web.security import shared_secret

LOADED = "() => window.opswall && window.opswall.replay && window.opswall.replay.loadedAt !== null"


class SnapshotError(OpswallError):
    """The snapshot could not be taken (who, where or the browser)."""


def session_cookie(db: Database, sid: str) -> str:
    """The web app's signed session cookie naming `sid` (its key: `shared_secret`)."""
    app = Flask("opswall-snapshot")
    app.secret_key = shared_secret(db)
    serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    if serializer is None:
        raise SnapshotError("no session key")
    return str(serializer.dumps({"sid": sid}))


def snapshot(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    from opswall.auth.accounts import Accounts

    who = next((p for p in Accounts(db).users() if p.name == args.user), None)
    if who is None or not who.may("leader"):
        raise SnapshotError(f"--user {args.user!r}: the user name of a leader or operator")
    sessions = Sessions(db)
    sid = sessions.open(args.user, Client("127.0.0.1", "opswall snapshot"))
    if sid is None:
        raise SnapshotError(f"--user {args.user!r}: no such person")
    audit.record(db, who, "replay.snapshot", args.screen, {"at": args.at})
    try:
        shoot(args, session_cookie(db, sid))
    finally:
        sessions.end(sid)
    print(f"{args.out}: {args.screen} at {args.at}")
    return 0


def shoot(args: argparse.Namespace, cookie: str) -> None:
    from playwright.sync_api import Error, sync_playwright

    from opswall.testing import CHROMIUM_ARGS, chromium_path

    try:
        executable = chromium_path()
    except FileNotFoundError as exc:
        raise SnapshotError(str(exc)) from None
    base = args.url.rstrip("/")
    address = f"{base}/wall/{args.screen}?at={args.at}"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        page = None
        try:
            page = browser.new_page(viewport={"width": args.width, "height": args.height})
            page.context.add_cookies([{"name": "session", "value": cookie, "url": base}])
            page.goto(address)
            page.wait_for_function(LOADED, timeout=args.timeout * 1000)
            page.wait_for_timeout(800)  # a tick: freshness judged, text fitted, fonts in
            Path(args.out).write_bytes(page.screenshot())
        except Error as exc:
            refusal = page.inner_text("body")[:300] if page is not None else ""
            raise SnapshotError(f"{address}: {refusal or exc}") from None
        finally:
            browser.close()
