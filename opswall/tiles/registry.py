"""The tile registry: the one place tile types are known.

Built-in types register through the same `register()` an extension would use. The registry is an
object made by a factory, never module-global state, so tests build their own.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from opswall.config.models import TileBase

if TYPE_CHECKING:
    from opswall.tiles.base import RenderContext


@dataclass(frozen=True)
class TileType:
    """One tile type: options model, server-side first render, client-side update script."""

    name: str
    model: type[TileBase]
    render: Callable[[Any, RenderContext], Any]
    script: Path
    summary: str

    def client_script(self) -> str:
        return self.script.read_text(encoding="utf-8")


@dataclass
class TileRegistry:
    _types: dict[str, TileType] = field(default_factory=dict)
    _config_model: Any = None

    def register(self, tile_type: TileType) -> None:
        if tile_type.name in self._types:
            raise ValueError(f"tile type '{tile_type.name}' is registered twice")
        self._types[tile_type.name] = tile_type
        self._config_model = None

    def get(self, name: str) -> TileType:
        return self._types[name]

    def names(self) -> list[str]:
        return sorted(self._types)

    def types(self) -> list[TileType]:
        return [self._types[name] for name in self.names()]

    def config_model(self) -> Any:
        """The WallConfig class whose tiles are a union of this registry's tile models."""
        if self._config_model is None:
            from opswall.config.schema import build_config_model

            self._config_model = build_config_model([t.model for t in self.types()])
        return self._config_model


# Built-in tile types, one module each under opswall/tiles/: adding a type is one line here.
BUILT_IN = (
    "alerts",
    "bar",
    "chart",
    "clock",
    "conference",
    "gauge",
    "iframe",
    "image",
    "kpi",
    "map",
    "reporting",
    "table",
    "text",
    "ticker",
    "video",
)


def default_registry() -> TileRegistry:
    """A registry holding every built-in tile type."""
    registry = TileRegistry()
    for name in BUILT_IN:
        registry.register(importlib.import_module(f"opswall.tiles.{name}").TILE)
    return registry
