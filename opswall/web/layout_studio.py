"""`/admin/layout`: the layout studio (issue 20). Operators and admins move, resize and delete
tiles and change grids on a picture of a layout, and apply; leaders may look and check only.

A draft is a list of changes made on one version of the file's text (`base`, its SHA-256). It
is judged by the file's own loader; apply writes it surgically (`studio/surgery.py`) and only
over that same text, then the hot reload takes it in and the revision names the person.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, abort, jsonify, render_template, request
from redis.exceptions import RedisError

from opswall.auth import audit
from opswall.config.models import Locale
from opswall.i18n import PAGES
from opswall.studio import revisions
from opswall.studio.board_model import board_model, scene_model
from opswall.studio.diffs import sha256
from opswall.studio.drafts import Checked, DraftError, check, parse_changes
from opswall.studio.files import ChangedOnDisk, replace_if_unchanged
from opswall.studio.palette import palette
from opswall.studio.values import latest_values
from opswall.web.bodies import BodyRefused, json_body
from opswall.web.context import WebContext, locale_of, person, web
from opswall.web.security import csrf_token, origin

blueprint = Blueprint("layout_studio", __name__)

# What the page's script writes itself (report.js): the verdicts.
SCRIPT_WORDS = (
    "studio_no_changes",
    "studio_ok",
    "studio_applied",
    "studio_invalid",
    "studio_changed_on_disk",
    "studio_in_file",
    "studio_no_room",
    "studio_bad_id",
    "studio_previewing",
    "studio_small",
    "studio_bezel",
    "studio_op_move",
    "studio_op_add",
    "studio_op_delete",
    "studio_op_grid",
    "studio_op_set",
    "studio_op_at",
    "studio_op_show",
    "studio_own_layout",
    "studio_op_rotation",
    "studio_op_scene",
    "studio_step_scene",
    "studio_step_dwell",
    "studio_step_up",
    "studio_step_down",
    "studio_step_remove",
    "studio_bad_duration",
    "studio_rotation_layout_only",
    "studio_rotation_no_scenes",
    "studio_rotation_none",
    "studio_scene_title",
    "studio_var_name",
    "studio_var_add",
    "studio_var_remove",
    "studio_window_opened",
)


@blueprint.get("/admin/layout")
def studio_page() -> Any:
    ctx, who = web(), person()
    config = ctx.source.current.config
    layouts = board_model(config, locale_of(ctx))
    wanted = request.args.get("screen", "")
    chosen = wanted if config.screen(wanted) else layouts[0]["id"] if layouts else ""
    model = {
        "layouts": layouts,
        "scenes": scene_model(config, locale_of(ctx)),
        "screen": chosen,
        "base": sha256(ctx.source.text),
        "mayApply": who.may("operator"),
        "palette": palette(ctx.source.registry, config),
        "words": {key: PAGES[key][locale_of(ctx)] for key in SCRIPT_WORDS},  # unformatted
    }
    return render_template(
        "layout.html",
        model=json.dumps(model, ensure_ascii=False),
        layouts=layouts,
        chosen=chosen,
        who=who,
        csrf=csrf_token(),
    )


@blueprint.get("/admin/layout/values")
def live_values() -> Any:
    """The latest value of each feed, for the studio's tiles (polled while the page is open)."""
    ctx, who = web(), person()
    if ctx.redis is None:
        return jsonify(values={})
    try:
        values = latest_values(ctx.redis, ctx.source.current.config, who.clearance)
    except RedisError:
        values = {}
    return jsonify(values=values)


@blueprint.post("/admin/layout/check")
def check_draft() -> Any:
    """The draft's located issues and diff; changes nothing (leaders may ask too)."""
    ctx = web()
    try:
        _, checked = checked_draft(ctx, json_body())
    except BodyRefused as exc:
        return jsonify(error=exc.error), exc.status
    return jsonify(verdict(checked, locale_of(ctx)))


@blueprint.post("/admin/layout/apply")
def apply_draft() -> Any:
    ctx, who = web(), person()
    if not who.may("operator"):
        abort(403)
    try:
        base, checked = checked_draft(ctx, json_body())
    except BodyRefused as exc:
        return jsonify(error=exc.error), exc.status
    if checked.issues or checked.config is None:
        return jsonify(verdict(checked, locale_of(ctx))), 422
    ctx.revisions.claim(checked.text, who.name)
    try:
        replace_if_unchanged(ctx.source.path, base, checked.text)
    except ChangedOnDisk as exc:
        return jsonify(error=str(exc), changed=exc.diff), 409
    ctx.source.refresh()  # in force here at once; the revision is stored in this person's name
    newest = revisions.latest(ctx.db)
    detail = {"sha256": sha256(checked.text), "revision": newest.id if newest else None}
    audit.record(ctx.db, who, "layout.apply", str(ctx.source.path.name), detail, origin())
    return jsonify(ok=True, revision=detail["revision"], base=detail["sha256"])


def checked_draft(ctx: WebContext, body: Any) -> tuple[str, Checked]:
    """The body's base text and its changes, checked; BodyRefused for a body we cannot use."""
    try:
        changes = parse_changes(body)
    except DraftError as exc:
        raise BodyRefused(400, str(exc)) from None
    base = _base_text(ctx, body.get("base") if isinstance(body, dict) else None)
    return base, check(base, changes, ctx.source.path, ctx.source.registry)


def _base_text(ctx: WebContext, digest: Any) -> str:
    """The text the draft was opened on: the config in force, or a stored revision."""
    if digest == sha256(ctx.source.text):
        return ctx.source.text
    for revision in revisions.history(ctx.db, 50):
        if revision.sha256 == digest:
            return revision.text
    raise BodyRefused(409, "the draft was opened on a config this server does not know: reload")


def verdict(checked: Checked, locale: Locale) -> dict[str, Any]:
    issues = [
        {"line": i.line, "column": i.column, "path": i.path, "message": i.message, "text": str(i)}
        for i in checked.issues
    ]
    small = [
        {"line": w.line, "column": w.column, "path": w.path, "message": w.message}
        for w in checked.small
    ]
    bezels = [
        {"line": b.line, "column": b.column, "path": b.path, "message": b.message(locale)}
        for b in checked.bezels
    ]
    return {
        "ok": not issues,
        "issues": issues,
        "warnings": small,
        "bezels": bezels,
        "diff": checked.diff,
    }
