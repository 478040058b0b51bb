"""`opswall config history|show|diff|rollback`: the config's revisions from a shell (issue 20).

A rollback is validated, stored as a new revision in the name of the operating-system user, and
written to the file atomically; the running wall's hot reload then takes it to the screens."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TextIO

from opswall.auth import audit
from opswall.auth.principals import Principal
from opswall.cli.parts import open_database
from opswall.errors import OpswallError
from opswall.settings import Settings
from opswall.store.db import Database
from opswall.studio import revisions
from opswall.studio.diffs import unified
from opswall.studio.files import write_atomic
from opswall.studio.rollback import target_text
from opswall.terminal import printable
from opswall.tiles import default_registry


def config_command(args: argparse.Namespace, out: TextIO = sys.stdout) -> int:
    settings = Settings.from_env(config_path=args.config)
    db = open_database(settings)
    action = args.config_command
    if action == "history":
        return _history(db, args.limit, out)
    if action == "show":
        out.write(_revision(db, args.id).text)
        return 0
    if action == "diff":
        return _diff(db, args.id, args.to, out)
    return _rollback(db, settings, args.id, out)


def _revision(db: Database, number: int) -> revisions.Revision:
    found = revisions.get(db, number)
    if found is None:
        raise OpswallError(f"no config revision {number}")
    return found


def _history(db: Database, limit: int, out: TextIO) -> int:
    print(f"{'id':>5}  {'when (UTC)':<19}  {'sha256':<12}  {'+/-':>11}  by", file=out)
    for r in revisions.history(db, limit):
        when = r.at.strftime("%Y-%m-%d %H:%M:%S")
        lines = "+{} -{}".format(*r.changed)
        row = f"{r.id:>5}  {when}  {r.sha256[:12]}  {lines:>11}  {printable(r.by)}"
        print(row, file=out)
    return 0


def _diff(db: Database, number: int, to: int | None, out: TextIO) -> int:
    """Revision `number` against the one before it, or against revision `to`."""
    if to is None:
        out.write(_revision(db, number).diff)
        return 0
    before, after = _revision(db, number), _revision(db, to)
    out.write(unified(before.text, after.text, f"revision {number}", f"revision {to}"))
    return 0


def _rollback(db: Database, settings: Settings, number: int, out: TextIO) -> int:
    path = settings.config_path
    text = target_text(db, number, path, default_registry())
    who = Principal(f"cli:{getpass.getuser()}", "admin")
    made = revisions.record(db, text, who.name)
    write_atomic(path, text)
    detail = {"to_revision": number, "revision": made.id if made else None}
    audit.record(db, who, "config.rollback", str(path), detail)
    if made is None:
        print(f"revision {number} is already the config in force; {path} rewritten", file=out)
    else:
        print(f"rolled back to revision {number}: now revision {made.id}; {path} written", file=out)
    return 0
