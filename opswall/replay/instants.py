"""The instant a replay is asked for: `?at=` as ISO 8601 (an offset, or the wall's time zone
when it names none) or as milliseconds since the epoch. Pure."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from opswall.clock import epoch_ms

MAX_TEXT = 40


def parse_instant(text: str, zone: str) -> int:
    """Milliseconds since the epoch; ValueError for anything else (bounded, never guessed)."""
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        raise ValueError("no instant")
    if text.isdigit():
        return int(text)
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    return epoch_ms(moment)
