"""The producers' API: feeds POST entries, agencies POST indicator reports.

Both authenticate with a bearer token made for that one feed or agency (`opswall token create
--feed ID` / `--agency NAME`), never with a person's session, so they need no CSRF token. A bad
request is answered 4xx with the reason. A batch of entries is written all or none; each
report in a batch is judged on its own (207 when some were refused).
"""

from __future__ import annotations

from typing import Any, cast

from flask import Blueprint, Response, jsonify, request
from redis.exceptions import RedisError

from opswall.auth.principals import Principal
from opswall.auth.scopes import TokenScope
from opswall.config.feed_sources import HttpPushSource
from opswall.config.models import Feed
from opswall.feeds.bounds import shown
from opswall.feeds.normalize import NormalizeError, to_contract
from opswall.feeds.streams import stream_maxlen
from opswall.indicators.catalogue import Catalogue
from opswall.indicators.reports import NATIONAL, Report, ReportError, submit
from opswall.web.bodies import BodyRefused, json_body
from opswall.web.context import WebContext, web

blueprint = Blueprint("producers", __name__)


def _refuse(status: int, error: str, **extra: Any) -> tuple[Response, int]:
    response = jsonify(error=error, **extra)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="opswall"'
    return response, status


class Refused(Exception):
    """A request answered 4xx/5xx with a reason (raised anywhere in a producer route)."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status, self.error = status, error


def _bearer(ctx: WebContext, scope: str) -> Principal:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise Refused(401, "send the token as 'Authorization: Bearer <token>'")
    who = ctx.accounts.device(header.removeprefix("Bearer ").strip())
    if who is None:
        raise Refused(401, "unknown or revoked token")
    if not who.holds(TokenScope.parse(scope)):  # the kind is checked, not just the string
        raise Refused(403, f"this token is not for {scope}")
    return who


def _authorised_items(ctx: WebContext, scope: str) -> tuple[Principal, list[Any]]:
    """Who sends (a token for exactly `scope`), and the entries or reports in the body."""
    who = _bearer(ctx, scope)
    try:
        return who, body_items(json_body())
    except BodyRefused as exc:
        raise Refused(exc.status, exc.error) from None


def body_items(body: Any) -> list[Any]:
    """The entries or reports of a body: one object, a list, or `{"entries": [...]}`."""
    if isinstance(body, dict) and isinstance(body.get("entries"), list):
        return cast(list[Any], body["entries"])
    return body if isinstance(body, list) else [body]


def check_entry(item: Any, source: HttpPushSource) -> dict[str, str]:
    """One pushed entry -> contract fields, or a NormalizeError with the reason."""
    if not isinstance(item, dict):
        raise NormalizeError(f"an entry must be a JSON object, not {type(item).__name__}")
    for name, kind in source.require.items():
        if name not in item or item[name] is None:
            raise NormalizeError(f"missing required field '{name}'")
        value = item[name]
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if kind == "number" and not is_number:
            raise NormalizeError(f"field '{name}' must be a number (got {shown(repr(value))})")
        if kind == "text" and not isinstance(value, str):
            raise NormalizeError(f"field '{name}' must be text (got {shown(repr(value))})")
    return to_contract(item, item.get("ts"))


@blueprint.errorhandler(Refused)
def refused(exc: Refused) -> tuple[Response, int]:
    return _refuse(exc.status, exc.error)


@blueprint.post("/api/feeds/<feed_id>/entries")
def push_entries(feed_id: str) -> Any:
    ctx = web()
    feed: Feed | None = next((f for f in ctx.source.current.config.feeds if f.id == feed_id), None)
    if feed is None or not isinstance(feed.source, HttpPushSource):
        return _refuse(404, f"no feed '{feed_id}' takes pushed entries")
    _, items = _authorised_items(ctx, f"push:{feed_id}")
    if not items:
        return _refuse(422, "no entries")
    if len(items) > feed.source.max_batch:
        return _refuse(413, f"{len(items)} entries; at most {feed.source.max_batch} per request")
    entries, problems = [], []
    for index, item in enumerate(items):
        try:
            entries.append(check_entry(item, feed.source))
        except NormalizeError as exc:
            problems.append({"index": index, "reason": str(exc)})
    if problems:
        return _refuse(
            422,
            f"{len(problems)} of {len(items)} entries refused; none written",
            problems=problems[:50],
        )
    return _write(ctx, feed, entries)


def _write(ctx: WebContext, feed: Feed, entries: list[dict[str, str]]) -> Any:
    """All the entries of a batch in one transaction, or none."""
    if ctx.redis is None:
        return _refuse(503, "no Redis")
    try:
        pipe = ctx.redis.pipeline(transaction=True)
        for fields in entries:
            pipe.xadd(
                feed.stream_key, cast(Any, fields), maxlen=stream_maxlen(feed), approximate=True
            )
        ids = pipe.execute()
    except RedisError:
        return _refuse(503, "the stream store is unavailable; retry")
    return jsonify(written=len(ids), ids=ids), 202


@blueprint.post("/api/reports")
def post_reports() -> Any:
    ctx = web()
    held = ctx.catalogue.get()
    if held is None:
        return _refuse(404, "this wall has no indicator catalogue")
    agency = request.args.get("agency", "")
    who, items = _authorised_items(ctx, f"agency:{agency}")
    results, problems = [], []
    for index, item in enumerate(items):
        try:
            report = _submit(ctx, held, agency, f"{agency} ({who.name})", item)
        except ReportError as exc:
            problems.append({"index": index, "reason": str(exc)})
            continue
        results.append(
            {
                "index": index,
                "code": report.code,
                "period": report.period,
                "revision": report.revision,
            }
        )
    status = 201 if not problems else (207 if results else 422)
    return jsonify(accepted=results, problems=problems), status


def _submit(ctx: WebContext, held: Catalogue, agency: str, by: str, item: Any) -> Report:
    """One report of an agency's batch, recorded; a ReportError says why it was refused."""
    if not isinstance(item, dict):
        raise ReportError("a report must be a JSON object")
    code = str(item.get("code", ""))
    indicator = held.get(code)
    if indicator is not None and indicator.agency != agency:
        raise ReportError(f"{code} is reported by {indicator.agency}")
    value = item.get("value")
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ReportError("value must be a number")
    return submit(
        ctx.db,
        held,
        code,
        str(item.get("period", "")),
        float(value),
        by,
        area=str(item.get("area") or NATIONAL),
        reason=str(item.get("reason") or ""),
        channel="api",
    )
