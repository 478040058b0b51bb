"""Sign-in, sign-out and first-run setup (the one-time link that makes the first admin)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, abort, redirect, render_template, request

from opswall.auth import audit
from opswall.auth.names import name_problem, normalise
from opswall.auth.passwords import MAX_LENGTH, MIN_LENGTH
from opswall.auth.principals import Principal
from opswall.i18n import both
from opswall.web import pages
from opswall.web.context import WebContext, locale_of, web
from opswall.web.security import csrf_token, origin, work_nonce

blueprint = Blueprint("sign_in", __name__)


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Any:
    return _sign_in(web()) if request.method == "POST" else login_page(web())


@blueprint.post("/logout")
def logout() -> Any:
    ctx = web()
    who = ctx.identity.person()
    if who:
        audit.record(ctx.db, who, "logout", who.name, origin=origin())
    ctx.identity.sign_out()
    return redirect("/login")


@blueprint.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str) -> Any:
    ctx = web()
    if ctx.accounts.setup_token() != token:
        locale = locale_of(ctx)
        return render_template(
            "message.html",
            title=pages.text("setup", locale),
            message=pages.text("setup_spent", locale),
        ), 404
    error = ""
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        error = _setup_problem(username, password)
        if not error:
            return _first_admin(ctx, token, username, password)
    return render_template("setup.html", csrf=csrf_token(), error=error, token=token)


def safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme or host): no open redirect after sign-in."""
    parts = urlsplit(target or "/")
    if parts.scheme or parts.netloc or not (target or "/").startswith("/"):
        return "/"
    return target or "/"


def _setup_problem(username: str, password: str) -> str:
    """What is wrong with the first administrator's form, in both languages ("" if nothing)."""
    if len(password) < MIN_LENGTH:
        return pages.both("password_short", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return pages.both("password_long", n=MAX_LENGTH)
    return "" if username else pages.both("setup_no_name")


def login_page(ctx: WebContext, error: str = "", status: int = 200, **form: Any) -> Any:
    """The sign-in form; `error` is an i18n key, shown in both languages like every refusal
    on these pages (whoever is refused can read why, whichever language the page speaks)."""
    text = both(error) if error else ""
    page = render_template(
        "login.html",
        csrf=csrf_token(),
        error=text,
        setup=not ctx.accounts.has_users(),
        nonce=work_nonce() if ctx.limiter.redis is not None else "",
        bits=form.get("bits", 0),
        username=form.get("username", ""),
    )
    return page, status


def _sign_in(ctx: WebContext) -> Any:
    username = normalise(request.form.get("username", "")[:64])
    address = request.remote_addr or ""
    verdict = ctx.limiter.verdict(username, address)
    if verdict.blocked:
        # A blocked address is one row a minute whatever names it tries.
        name = "*" if verdict.blocked == "address" else username
        _refused(ctx, name, "login.blocked")
        return login_page(ctx, "login_wait", 429)
    bits = verdict.work_bits
    form = request.form
    if bits and not ctx.limiter.work_done(form.get("pow_nonce", ""), form.get("pow", ""), bits):
        _refused(ctx, username, "login.blocked")
        return login_page(ctx, "login_work", 429, bits=bits, username=username)
    who = ctx.accounts.authenticate(username, form.get("password", ""))
    if who is None:
        ctx.limiter.failed(username, address)
        _refused(ctx, username, "login.failed")
        bits = ctx.limiter.verdict(username, address).work_bits  # what the next try needs
        return login_page(ctx, "login_wrong", bits=bits, username=username)
    ctx.identity.sign_in(who)
    audit.record(ctx.db, who, "login", who.name, origin=origin())
    return redirect(safe_next(request.args.get("next")))


def _refused(ctx: WebContext, username: str, action: str) -> None:
    # Recorded under the name tried (it may not exist), rolled up per name, address, minute.
    tried = Principal(username or "?", "viewer")
    audit.record_refusal(ctx.db, tried, action, username, origin())


def _first_admin(ctx: WebContext, token: str, username: str, password: str) -> Any:
    name = normalise(username)
    if problem := name_problem(name):  # before the one-time link is spent
        return render_template("setup.html", csrf=csrf_token(), error=problem.both(), token=token)
    if not ctx.accounts.consume_setup_token(token):
        abort(404)
    ctx.accounts.create_user(name, password, "admin", True)
    who = Principal(name, "admin", True)
    audit.record(ctx.db, who, "user.create", name, {"role": "admin"}, origin=origin())
    ctx.identity.sign_in(who)
    return redirect("/")
