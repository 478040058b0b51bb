"""`/admin/layout/history`: every config revision with its diff, and rolling back to one
(operators; a rollback is itself a new revision, in the person's name, and audited)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template

from opswall.auth import audit
from opswall.errors import OpswallError
from opswall.studio import revisions
from opswall.studio.diffs import sha256
from opswall.studio.files import write_atomic
from opswall.studio.rollback import target_text
from opswall.web.context import person, web
from opswall.web.security import csrf_token, origin

blueprint = Blueprint("layout_history", __name__)

SHOWN = 100


@blueprint.get("/admin/layout/history")
def history_page(error: str = "") -> str:
    ctx = web()
    rows = revisions.history(ctx.db, SHOWN)
    digest = sha256(ctx.source.text)
    return render_template(
        "layout_history.html",
        rows=rows,
        # The newest revision with the text in force (an older one may hold the same text).
        in_force=next((r.id for r in rows if r.sha256 == digest), None),
        file_edit=revisions.FILE_EDIT,
        who=person(),
        csrf=csrf_token(),
        error=error,
    )


@blueprint.post("/admin/layout/rollback/<int:number>")
def rollback(number: int) -> Any:
    ctx, who = web(), person()
    if not who.may("operator"):
        abort(403)
    try:
        text = target_text(ctx.db, number, ctx.source.path, ctx.source.registry)
    except OpswallError as exc:  # a WallConfigError too: the revision no longer loads
        return history_page(str(exc)), 422
    ctx.revisions.claim(text, who.name)
    write_atomic(ctx.source.path, text)
    ctx.source.refresh()
    audit.record(
        ctx.db, who, "config.rollback", ctx.source.path.name, {"to_revision": number}, origin()
    )
    return redirect("/admin/layout/history")
