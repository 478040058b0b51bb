"""`opswall token` and `opswall user`: people and devices, from a shell on the server (audited
as the operating-system user)."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from opswall.cli.parts import open_database
from opswall.settings import Settings
from opswall.terminal import printable

if TYPE_CHECKING:
    from opswall.auth.scopes import TokenScope


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
