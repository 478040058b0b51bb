"""Rolling the config back to a stored revision: validated first, then written atomically.

The rollback is itself a new revision (revisions are never changed or removed)."""

from __future__ import annotations

from pathlib import Path

from opswall.config.loader import load_config_text
from opswall.errors import OpswallError
from opswall.store.db import Database
from opswall.studio import revisions
from opswall.tiles.registry import TileRegistry


def target_text(db: Database, number: int, path: Path, registry: TileRegistry) -> str:
    """The text of revision `number`, checked by the loader as the file would be (a tile type
    or catalogue entry may have gone since); OpswallError or WallConfigError if unusable."""
    revision = revisions.get(db, number)
    if revision is None:
        raise OpswallError(f"no config revision {number}")
    load_config_text(revision.text, path, registry)
    return revision.text
