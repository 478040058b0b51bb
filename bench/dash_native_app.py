"""Dash 4's own websocket callbacks, as the alternative to our gateway: same tiles, same feeds.

usage: python -m bench.dash_native_app FEEDS PORT   (OPSWALL_REDIS_URL must be set)
One long-running websocket callback per page reads the streams (XREAD BLOCK from concrete ids)
and pushes each value with set_props; the KPI's `title` carries `sent` for latency.
"""

from __future__ import annotations

import os
import sys
from typing import Any

import redis.asyncio as aioredis
import uvicorn
from dash import Dash, Input, ctx, dcc, html, set_props


def build(feeds: int, redis_url: str) -> Dash:
    app = Dash(
        __name__,
        backend="fastapi",
        websocket_callbacks=True,
        websocket_inactivity_timeout=0,  # the default 5 min closes a wall's socket for good
        update_title=None,  # type: ignore[arg-type]
    )
    app.layout = html.Div(
        [dcc.Store(id="go", data=1)]
        + [html.Div(html.Span("—", id=f"v{i}"), className="tile") for i in range(feeds)]
    )

    @app.callback(Input("go", "data"))
    async def stream(_: Any) -> None:
        ws = ctx.websocket
        client = aioredis.Redis.from_url(redis_url, decode_responses=True)
        last: dict[Any, Any] = {}
        for i in range(feeds):
            tail = await client.xrevrange(f"feed:bench{i}", "+", "-", count=1)
            last[f"feed:bench{i}"] = tail[0][0] if tail else "0-0"
        while ws is not None and not ws.is_shutdown:
            reply: Any = await client.xread(last, block=1000, count=1000)
            for key, entries in reply or []:
                for entry_id, fields in entries:
                    last[key] = entry_id
                    index = key.removeprefix("feed:bench")
                    set_props(f"v{index}", {"children": fields["value"], "title": fields["sent"]})
        await client.aclose()

    return app


if __name__ == "__main__":
    count, port = int(sys.argv[1]), int(sys.argv[2])
    server = build(count, os.environ["OPSWALL_REDIS_URL"]).server
    uvicorn.run(server, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio")
