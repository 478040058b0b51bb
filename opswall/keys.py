"""Every Redis key, stream, prefix and consumer-group name opswall uses, in one place.

Two writers of one key must agree on its name; a name spelled in two modules drifts. Braces are
Redis Cluster hash tags: keys that share one are in one slot, so a transaction (MULTI) or a
single XREAD may span them. `tests/unit/test_keys.py` fails when a key literal appears elsewhere.
"""

from __future__ import annotations

import zlib

# -- the wall state (control/store.py): one key holds it, one stream announces each version.
# One hash tag: both are written in one transaction, which a Redis Cluster allows only in a slot.
STATE_KEY = "{wall}:state"
CMD_STREAM = "{wall}:cmd"

# -- feeds
FEED_STREAM_PREFIX = "feed:"
DEADLETTER_PREFIX = "deadletter:"
DEADLETTER_COUNTS = "opswall:deadletters"  # hash: feed id -> entries set aside
FEED_HEALTH_PREFIX = "feedhealth:"
FEED_CURSOR_PREFIX = "feedcursor:"
HISTORY_GROUP = "opswall-history"  # the history recorder's consumer group on every feed stream

# -- people and screens
TICKET_PREFIX = "ticket:"  # one-time websocket passes the web app issues, the gateway spends
VIDEO_PANES = "video:panes"  # hash: screen/tile/site -> the pane's last report
# The screen fleet (issue 21): operators' commands to screens (identify, reload), read by every
# gateway replica; and each replica's view of the devices it serves (hash: replica -> JSON).
SCREEN_CMD = "opswall:screen-cmd"
FLEET = "opswall:fleet"
# The layout studio's drafts shown on a screen for preview (issue 20): text by its digest, kept
# while the studio that made it is open (it renews the expiry).
STUDIO_DRAFT_PREFIX = "opswall:studio-draft:"
RATE_LIMIT_PREFIX = "{ratelimit}:login:"  # one hash tag: a verdict reads its keys in one call


def feed_stream(feed_id: str) -> str:
    """A feed's stream when its config names none and the wall is not sharded."""
    return f"{FEED_STREAM_PREFIX}{feed_id}"


def sharded_feed_stream(feed_id: str, shards: int) -> str:
    """The stream of a feed on a sharded layout: the hash tag picks one of `shards` slots, so a
    gateway reads many feeds with one XREAD per slot and the slots spread over the nodes."""
    return f"{FEED_STREAM_PREFIX}{{s{zlib.crc32(feed_id.encode()) % shards}}}:{feed_id}"


def deadletter_stream(feed_id: str) -> str:
    """Entries of a feed that could not be taken in, each with its reason."""
    return f"{DEADLETTER_PREFIX}{feed_id}"


def feed_health(feed_id: str) -> str:
    """The adapter's own report (state, last error, counts), written by the feed runner."""
    return f"{FEED_HEALTH_PREFIX}{feed_id}"


def feed_cursor(feed_id: str) -> str:
    """Where a poller resumes after a restart."""
    return f"{FEED_CURSOR_PREFIX}{feed_id}"


def ticket(value: str) -> str:
    return f"{TICKET_PREFIX}{value}"


def login_pair(address: str, name: str) -> str:
    return f"{RATE_LIMIT_PREFIX}pair:{address}:{name}"


def login_address(address: str) -> str:
    return f"{RATE_LIMIT_PREFIX}addr:{address}"


def login_user(name: str) -> str:
    return f"{RATE_LIMIT_PREFIX}user:{name}"


def login_work(nonce_digest: str) -> str:
    """A spent proof-of-work nonce (by its digest): each is accepted once."""
    return f"{RATE_LIMIT_PREFIX}work:{nonce_digest}"


def studio_draft(digest: str) -> str:
    return f"{STUDIO_DRAFT_PREFIX}{digest}"
