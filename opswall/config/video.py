"""Video sources and bridge points (sites): what a `video` or `conference` tile plays.

A site is a place the center talks to (a province's bridge point, a camera) with one source.
Sites live at the top of the config so a conference tile, a single pane and the leader's panel
all name the same place the same way, and a province can be paired with its bridge point.
"""

from __future__ import annotations

import re
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, model_validator

from opswall.config.env import checked_forms
from opswall.config.primitives import Duration, Frozen, Identifier, Text

VideoKind = Literal["whep", "hls", "file", "mjpeg", "iframe"]

# Jitsi Meet options that take a wall straight into the room: no pre-join page, no deep link to
# the mobile app, nothing sent from this side (a wall has no camera or microphone to offer).
JITSI_OPTIONS = (
    "config.prejoinConfig.enabled=false",
    "config.prejoinPageEnabled=false",
    "config.disableDeepLinking=true",
    "config.startWithAudioMuted=true",
    "config.startWithVideoMuted=true",
    "config.startAudioOnly=false",
)


# Browsers drop tabs and newlines inside a URL, trim leading spaces and read a backslash as '/':
# a check on the text as written would pass `java<TAB>script:`, ` javascript:` or `/\host`.
_REWRITTEN = re.compile(r"[\x00-\x20\x7f\\]")


def url_problem(url: str) -> str | None:
    """Why a browser must not be sent to `url`, or None for a path on this server (one '/')
    or an http(s) URL with a host."""
    if not url:
        return "url is empty"
    if _REWRITTEN.search(url):
        return "url holds a space, control character or backslash (browsers rewrite those)"
    if url.startswith("/"):
        return "url: a path on this server starts with one '/'" if url[1:2] == "/" else None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "url must be a path on this server (/media/...) or an http(s) URL"
    return None


class VideoSource(Frozen):
    """Where a pane's picture comes from. `url` is a path on this server (`/media/...`) or an
    http(s) URL of a media server; `${VAR}` is expanded from the environment when a page is
    rendered."""

    kind: VideoKind
    url: str = Field(min_length=1)
    stall_after: Duration = Field(
        6.0, description="no new frame for this long: show the no-signal slate and retry"
    )
    loop: bool = Field(True, description="file/hls: a clip starts over at its end")
    jitsi: bool = Field(False, description="iframe: add the options that skip Jitsi's pre-join")

    @model_validator(mode="after")
    def _address(self) -> VideoSource:
        problem = checked_forms(self.url, url_problem)
        if problem:
            raise ValueError(problem)
        if self.jitsi and self.kind != "iframe":
            raise ValueError("jitsi applies to kind: iframe only")
        return self


class Site(Frozen):
    """A bridge point (điểm cầu) or camera: a name on the wall and its video source."""

    id: Identifier
    name: Text
    province: str | None = Field(None, description="code in the map's shapes, for pairing")
    source: VideoSource


__all__ = ["JITSI_OPTIONS", "Site", "VideoKind", "VideoSource"]
