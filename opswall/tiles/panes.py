"""One video pane as the server first renders it, shared by the `video` and `conference` tiles.

The pane starts in `connecting`; the browser's pane client (static/wall/video-panes.js) plays the
source, keeps `data-video-state` current (connecting | live | no-signal) and retries by itself.
"""

from __future__ import annotations

from typing import Any

from dash import html

from opswall.config.models import Site
from opswall.config.video import JITSI_OPTIONS, VideoSource, url_problem
from opswall.feeds.adapters.base import AdapterError, expand_env
from opswall.i18n import message
from opswall.tiles.base import RenderContext, data


def source_url(source: VideoSource) -> tuple[str, str]:
    """The address a browser plays (environment expanded), or '' and why it cannot."""
    try:
        url = expand_env(source.url)
    except AdapterError as exc:
        return "", str(exc)
    problem = url_problem(url)
    if problem:  # checked again here: the environment may differ from the loader's
        return "", f"url after ${{VAR}} expansion: {problem}"
    if source.jitsi:
        url += ("&" if "#" in url else "#") + "&".join(JITSI_OPTIONS)
    return url, ""


def descriptor(site_id: str, name: str, source: VideoSource) -> dict[str, Any]:
    """What the pane client needs to play one source."""
    url, problem = source_url(source)
    return {
        "site": site_id,
        "name": name,
        "kind": source.kind,
        "url": url,
        "problem": problem,
        "stall_ms": int(source.stall_after * 1000),
        "loop": source.loop,
    }


def site_descriptor(site: Site, ctx: RenderContext) -> dict[str, Any]:
    return {**descriptor(site.id, ctx.text(site.name), site.source), "province": site.province}


def pane(described: dict[str, Any], ctx: RenderContext, fit: str) -> html.Div:
    """The pane's elements: the media slot, the no-signal slate and the label with its badge."""
    name = described["name"]
    slate = html.Div(
        [
            html.Div(name, className="slate-site", **data(role="slate-site")),
            html.Div(message("video_no_signal", ctx.locale), className="slate-title"),
            html.Div(
                message("video_never", ctx.locale), className="slate-seen", **data(role="seen")
            ),
            html.Div(message("video_retrying", ctx.locale), className="slate-retry"),
        ],
        className="video-slate",
        hidden=True,
        **data(role="slate"),
    )
    label = html.Div(
        [
            html.Span(name, className="video-name", **data(role="name")),
            html.Span(
                message("video_speaking", ctx.locale),
                className="video-speaking",
                hidden=True,
                **data(role="speaking"),
            ),
            html.Span(
                message("video_audio", ctx.locale),
                className="video-audio",
                hidden=True,
                **data(role="audio"),
            ),
            html.Span(
                message("video_connecting", ctx.locale),
                className="video-badge",
                **data(role="badge"),
            ),
        ],
        className="video-label",
    )
    return html.Div(
        [html.Div(className=f"video-media fit-{fit}", **data(role="media")), slate, label],
        className="video-pane",
        **data(site=described["site"], video_state="connecting", kind=described["kind"]),
    )
