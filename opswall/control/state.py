"""The wall state every screen and panel follows, as one JSON document in Redis.

It changes only through `actions.apply` (last action wins); what a screen shows is computed from
it by `views.view_of`, the same way in every process.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Focus:
    layout: str  # the screen (layout) the tile belongs to
    tile: str


@dataclass(frozen=True)
class ActiveWarning:
    id: str
    rule: str
    severity: str
    message: dict[str, str]
    raised_ms: int
    value: float | None = None
    acked_by: str | None = None
    cleared: bool = False
    # The takeover this warning pushed: scene on screens until acknowledged or `until_ms`.
    scene: str | None = None
    screens: tuple[str, ...] = ()
    until_ms: int | None = None

    def takes_over(self, screen: str, now_ms: int) -> bool:
        if self.scene is None or self.acked_by is not None or screen not in self.screens:
            return False
        return self.until_ms is None or now_ms < self.until_ms


@dataclass(frozen=True)
class WallState:
    version: int = 0
    scene: str | None = None  # held by a leader; None: rotation or the default scene
    rotation_epoch_ms: int = 0  # rotations count their steps from here
    paused_at_ms: int | None = None  # rotation frozen at this instant
    focus: dict[str, Focus] = field(default_factory=dict)  # screen -> enlarged tile
    vars: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[ActiveWarning, ...] = ()
    previews: dict[str, str] = field(default_factory=dict)  # screen -> studio draft (issue 20)
    by: str = ""
    at_ms: int = 0

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str | bytes | None) -> WallState:
        if not text:
            return cls()
        raw = json.loads(text)
        return cls(
            version=int(raw.get("version", 0)),
            scene=raw.get("scene"),
            rotation_epoch_ms=int(raw.get("rotation_epoch_ms", 0)),
            paused_at_ms=raw.get("paused_at_ms"),
            focus={k: Focus(**v) for k, v in (raw.get("focus") or {}).items()},
            vars=dict(raw.get("vars") or {}),
            warnings=tuple(
                ActiveWarning(**{**w, "screens": tuple(w.get("screens", ()))})
                for w in raw.get("warnings") or ()
            ),
            previews={str(k): str(v) for k, v in (raw.get("previews") or {}).items()},
            by=str(raw.get("by", "")),
            at_ms=int(raw.get("at_ms", 0)),
        )

    def warning(self, warning_id: str) -> ActiveWarning | None:
        return next((w for w in self.warnings if w.id == warning_id), None)

    def with_warning(self, warning: ActiveWarning) -> WallState:
        others = tuple(w for w in self.warnings if w.id != warning.id)
        keep = warning.acked_by is None or not warning.cleared
        return replace(self, warnings=(*others, warning) if keep else others)
