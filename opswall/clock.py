"""The one wall clock: milliseconds since the epoch, the unit of stream ids and `asof`.

Every process reads time here, so a test can see at a glance what is judged by the clock
(monotonic intervals, for pacing, stay with `time.monotonic()` where they are used).
"""

from __future__ import annotations

import time
from datetime import datetime


def now_ms() -> int:
    """Now, in whole milliseconds since the epoch (Redis stream ids use the same unit)."""
    return int(time.time() * 1000)


def epoch_ms(moment: datetime) -> int:
    """A moment (aware; a naive one is local time) in the same unit: whole milliseconds."""
    return int(moment.timestamp() * 1000)
