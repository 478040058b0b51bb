"""The bounded JSON body every JSON endpoint reads (producers' entries and reports, control).

The body is refused before parsing when it is too large (declared or actually sent), and then
parsed with the feed contract's own bounds (`feeds/bounds.py`: depth, values, numbers, text), so
hostile input is a 4xx with a located reason, never a 500 (issue 17).
"""

from __future__ import annotations

from typing import Any

from flask import request

from opswall.feeds.bounds import DOCUMENT, MAX_BODY_BYTES, BoundsError, load_json


class BodyRefused(Exception):
    """A request body that is not bounded JSON: the status to answer and the reason."""

    def __init__(self, status: int, error: str) -> None:
        super().__init__(error)
        self.status, self.error = status, error


def parse_body(data: bytes) -> Any:
    """A body's bytes as bounded JSON, or BodyRefused (413 too large, 400 otherwise). Pure:
    the fuzz targets call it directly."""
    if len(data) > MAX_BODY_BYTES:
        raise BodyRefused(413, f"body larger than {MAX_BODY_BYTES} bytes")
    try:
        return load_json(data, "body", DOCUMENT)
    except BoundsError as exc:
        raise BodyRefused(400, str(exc)) from None


def json_body() -> Any:
    """This request's body as bounded JSON, or BodyRefused (413 too large, 400 otherwise)."""
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise BodyRefused(413, f"body larger than {MAX_BODY_BYTES} bytes")
    # Read one byte past the bound: a body sent without Content-Length is cut off there.
    return parse_body(request.stream.read(MAX_BODY_BYTES + 1))
