"""`/admin/users`: people, their roles, passwords and live sessions (admins only, by
`access.guard`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request
from werkzeug.datastructures import MultiDict

from opswall.auth import audit
from opswall.auth.accounts import AccountError
from opswall.auth.principals import ROLES, Principal
from opswall.web import pages
from opswall.web.context import WebContext, person, web
from opswall.web.security import csrf_token, origin

blueprint = Blueprint("people", __name__)

USER_ACTIONS = ("create", "role", "password", "sign_out", "revoke")


@blueprint.route("/admin/users", methods=["GET", "POST"])
def users() -> Any:
    ctx, who = web(), person()
    error = _change_people(ctx, who, request.form) if request.method == "POST" else ""
    people, sessions = ctx.accounts.users(), ctx.identity.sessions.live()
    return render_template(
        "users.html",
        csrf=csrf_token(),
        users=people,
        sessions={u.name: [s for s in sessions if s.username == u.name] for u in people},
        roles=ROLES[1:],
        error=error,
        who=who,
    ), 400 if error else 200


def _change_people(ctx: WebContext, who: Principal, form: MultiDict[str, str]) -> str:
    """One change from the users page; an error to show ("" when done), in both languages like
    the forms' other refusals."""
    action = form.get("do") or "create"
    if action not in USER_ACTIONS:
        return pages.both("refused_action", action=action[:64], known=", ".join(USER_ACTIONS))
    try:
        return _CHANGES[action](ctx, who, form)
    except AccountError as exc:
        return refusal(exc)


def refusal(exc: AccountError) -> str:
    """Why an account change was refused, in both languages."""
    if exc.problem:
        return exc.problem.both()
    return pages.both(exc.i18n, **exc.fields) if exc.i18n else str(exc)


def _create(ctx: WebContext, who: Principal, form: MultiDict[str, str]) -> str:
    role = form.get("role", "leader")
    name = ctx.accounts.create_user(
        form.get("username", ""), form.get("password", ""), role, form.get("clearance") == "on"
    )
    audit.record(ctx.db, who, "user.create", name, {"role": role}, origin=origin())
    return ""


def _set_role(ctx: WebContext, who: Principal, form: MultiDict[str, str]) -> str:
    name, role = form.get("user", ""), form.get("role", "")
    ctx.accounts.set_role(name, role)  # ends that person's sessions
    audit.record(ctx.db, who, "user.role", name, {"role": role}, origin=origin())
    return ""


def _set_password(ctx: WebContext, who: Principal, form: MultiDict[str, str]) -> str:
    name = form.get("user", "")
    ctx.accounts.set_password(name, form.get("password", ""))  # ends that person's sessions
    audit.record(ctx.db, who, "user.password", name, origin=origin())
    return ""


def _sign_out_everywhere(ctx: WebContext, who: Principal, form: MultiDict[str, str]) -> str:
    name = form.get("user", "")
    ended = ctx.identity.sessions.end_all(name)
    audit.record(ctx.db, who, "session.end_all", name, {"sessions": ended}, origin=origin())
    return ""


def _revoke_session(ctx: WebContext, who: Principal, form: MultiDict[str, str]) -> str:
    value = form.get("session", "")
    if not value.isdigit():
        return pages.both("refused_session_number")
    owner = ctx.identity.sessions.end_one(int(value))
    if owner is not None:
        audit.record(ctx.db, who, "session.end", owner, {"session": int(value)}, origin=origin())
    return ""


_CHANGES = {
    "create": _create,
    "role": _set_role,
    "password": _set_password,
    "sign_out": _sign_out_everywhere,
    "revoke": _revoke_session,
}
