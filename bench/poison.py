"""The chaos suite's "poison" fault: hostile entries on several feeds while screens watch.

The entries are the ones that crashed the gateway in issue 17 and their relatives (JSON nested
thousands deep, a lone surrogate escape, bytes that are not UTF-8, control characters, NaN,
1e400, fields of 256 KiB + 1 byte, 300 KB and 5 MB, huge names, too many fields or values).
Each must be set aside as a dead letter while the good entries around it reach every screen:
nothing lost, nothing applied twice, no screen dropped, the gateway never restarted.
"""

from __future__ import annotations

from typing import Any, cast

from opswall.feeds.stream_ids import as_text, raw_entries
from opswall.keys import deadletter_stream
from opswall.store.redis_client import SyncClient

Fields = dict[bytes, bytes]


def hostile_entries() -> list[Fields]:
    """One round of hostile entries (sent to each poisoned feed, again and again)."""
    deep = b'{"a":' * 3000 + b"1" + b"}" * 3000
    return [
        {b"json": deep},
        {b"value": b"1", b"json": b'{"v": ' + b"[" * 5000 + b"]" * 5000 + b"}"},
        {b"value": b"1", b"json": b'{"name": "\\ud800"}'},
        {b"value": b"\xff\xfe"},
        {b"value": b"\xed\xa0\x80"},  # a surrogate encoded as if it were UTF-8
        {b"value": b"4\x002"},
        {b"value": b"1", b"note": b"\x1b[2J"},
        {b"json": b'{"value": NaN}'},
        {b"value": b"1e400"},
        {b"json": b'{"value": 1' + b"0" * 5000 + b"}"},
        {b"value": b"1", b"note": b"x" * 262_145},  # one byte over a field's bound
        {b"n" * 5000: b"1"},
        {b"f%d" % i: b"1" for i in range(300)},
        {b"json": b'{"v": [' + b"0," * 30_000 + b"0]}"},
        {b"value": b"1", b"ts": b"1E310"},
        {b"ts": b"1763690000000"},
    ]


# Bulk: their cost is in bytes, read by every gateway whichever feed carries them, so they go to
# the first poisoned feed only (the 5 MB one once), not to every one.
BULKY = {b"value": b"1", b"note": b"x" * 300_000}
HUGE = {b"value": b"1", b"blob": b"x" * 5_000_000}


def send_round(client: SyncClient, keys: list[str], first: bool) -> dict[str, list[str]]:
    """XADD one round of hostile entries to each stream; the ids added, per stream."""
    sent: dict[str, list[str]] = {}
    for index, key in enumerate(keys):
        entries = hostile_entries()
        if index == 0:
            entries += [BULKY, HUGE] if first else [BULKY]
        pipe = client.pipeline(transaction=False)
        for fields in entries:
            pipe.xadd(key, cast(Any, fields))
        sent[key] = [as_text(entry_id) for entry_id in pipe.execute()]
    return sent


def dead_lettered(client: SyncClient, sent: dict[str, list[str]], feed_of: Any) -> int:
    """How many of the hostile entries sit in their feed's dead-letter stream (by their id)."""
    found = 0
    for key, ids in sent.items():
        stream = deadletter_stream(feed_of(key))
        kept = {entry_id for entry_id, _ in raw_entries(client.xrange(stream, ids[0], ids[-1]))}
        found += len(kept & set(ids))
    return found


POISON = "poison entries on several feeds"
