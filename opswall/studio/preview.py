"""Preview before apply (issue 20, part 3): a checked draft's text is kept in Redis by its
digest, a `preview` action names it for one display, and that display's page is rendered from
the draft instead of the file. Every other screen's view, and the file, stay as they are.
"""

from __future__ import annotations

from pathlib import Path

from redis.exceptions import RedisError

from opswall.config.live import Snapshot, snapshot_of
from opswall.config.loader import load_config_text
from opswall.config.models import WallConfig
from opswall.control.views import View, preview_rev
from opswall.errors import WallConfigError
from opswall.keys import studio_draft
from opswall.store.redis_client import SyncClient
from opswall.studio.diffs import sha256
from opswall.tiles.registry import TileRegistry

DRAFT_TTL = 600  # seconds; the open studio renews it (main.js), a closed one lets it lapse
DIGEST_CHARS = 16


def keep_draft(redis: SyncClient, text: str) -> str:
    """Store a checked draft's text for the screens that preview it; its digest names it."""
    digest = sha256(text)[:DIGEST_CHARS]
    redis.set(studio_draft(digest), text, ex=DRAFT_TTL)
    return digest


def draft_config(
    redis: SyncClient | None, digest: str, path: Path, registry: TileRegistry
) -> WallConfig | None:
    """The previewed draft, loaded as the file is; None when it lapsed or no longer loads."""
    if redis is None:
        return None
    try:
        raw = redis.get(studio_draft(digest))
    except RedisError:
        return None
    if not raw:
        return None
    text = raw.decode() if isinstance(raw, bytes) else str(raw)
    try:
        return load_config_text(text, path, registry)
    except WallConfigError:
        return None


def preview_snapshot(snapshot: Snapshot, view: View, draft: WallConfig | None) -> Snapshot:
    """What a previewing screen's page is rendered from: the draft (or, once it lapsed, the
    file), with the revisions the gateway announces for this view (`preview_rev`), so the page
    neither misses the preview nor re-renders it again and again."""
    config = draft or snapshot.config
    own = snapshot_of(config).revisions if draft else {}
    ids = {*snapshot.revisions, *own}
    return Snapshot(config, {i: preview_rev(snapshot.revisions.get(i, ""), view) for i in ids})
