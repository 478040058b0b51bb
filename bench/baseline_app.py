"""The common Dash way, as a baseline: dcc.Interval at 1 s and one server callback reading Redis.

usage: python -m bench.baseline_app FEEDS PORT   (OPSWALL_REDIS_URL must be set)
Each KPI's `title` carries the entry's `sent` timestamp so the page can measure latency.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import redis
from dash import Dash, Input, Output, dcc, html
from waitress import serve


def build(feeds: int, redis_url: str) -> Dash:
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    app = Dash(__name__, update_title=None)  # type: ignore[arg-type]
    app.layout = html.Div(
        [dcc.Interval(id="tick", interval=1000)]
        + [html.Div(html.Span("—", id=f"v{i}"), className="tile") for i in range(feeds)]
    )
    outputs = [Output(f"v{i}", p) for i in range(feeds) for p in ("children", "title")]

    @app.callback(outputs, Input("tick", "n_intervals"))
    def refresh(_: Any) -> list[Any]:
        pipe = client.pipeline()
        for i in range(feeds):
            pipe.xrevrange(f"feed:bench{i}", "+", "-", count=1)
        values: list[Any] = []
        for reply in pipe.execute():
            fields = reply[0][1] if reply else {}
            values += [fields.get("value", "—"), fields.get("sent", "")]
        return values

    return app


if __name__ == "__main__":
    count, port = int(sys.argv[1]), int(sys.argv[2])
    serve(
        build(count, os.environ["OPSWALL_REDIS_URL"]).server,
        host="127.0.0.1",
        port=port,
        threads=16,
        _quiet=True,
    )
