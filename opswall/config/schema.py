"""Build the concrete WallConfig class for a set of tile models."""

from __future__ import annotations

from typing import Annotated, Any, Union

from pydantic import Field, create_model

from opswall.config.models import Screen, TileBase, WallConfig


def build_config_model(tile_models: list[type[TileBase]]) -> type[WallConfig]:
    """WallConfig whose `screens[].tiles[]` is a union of `tile_models` keyed on `type`."""
    union: Any = (
        Annotated[Union[tuple(tile_models)], Field(discriminator="type")]  # noqa: UP007
        if len(tile_models) > 1
        else tile_models[0]
    )
    screen = create_model("Screen", __base__=Screen, tiles=(tuple[union, ...], ()))
    return create_model("WallConfig", __base__=WallConfig, screens=(tuple[screen, ...], ()))
