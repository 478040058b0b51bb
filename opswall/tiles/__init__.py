"""Tile types: one module each (options model, first render, client script), one registry."""

from opswall.tiles.registry import TileRegistry, TileType, default_registry

__all__ = ["TileRegistry", "TileType", "default_registry"]
