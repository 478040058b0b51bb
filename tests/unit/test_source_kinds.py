"""Feed-source kinds are registered like tile types, and a meta-test holds every kind complete."""

from __future__ import annotations

import shutil
import typing
from pathlib import Path
from typing import Any

import pytest

from opswall.config.feed_sources import RedisSource, Source
from opswall.config.loader import load_config
from opswall.config.models import Feed
from opswall.feeds.kinds import SOURCE_KINDS, SourceKind, source_kinds
from opswall.tiles import default_registry
from tests.conftest import config_errors

ROOT = Path(__file__).parents[2]
UNION = typing.get_args(typing.get_args(Source)[0])  # Annotated[A | B | ..., Field] -> (A, B, ...)


def feed(source: dict[str, Any]) -> Feed:
    return Feed.model_validate({"id": "f", "label": "F", "cadence": "5s", "source": source})


def test_every_model_of_the_source_union_is_registered_and_nothing_else() -> None:
    """A kind added to config/feed_sources.py fails here until it is declared in feeds/kinds.py."""
    assert {kind.model for kind in SOURCE_KINDS.kinds.values()} == set(UNION)
    assert len(SOURCE_KINDS.kinds) == len(UNION)


@pytest.mark.parametrize("name", SOURCE_KINDS.names())
def test_every_kind_is_complete_documented_and_shown(name: str) -> None:
    """Each kind's declaration is consistent, the README names it, and a sample config uses it."""
    kind = SOURCE_KINDS.kinds[name]
    assert kind.problems() == []
    assert f"`{name}`" in (ROOT / "README.md").read_text(encoding="utf-8")
    samples = [ROOT / "wall_config.yaml", ROOT / "tests/fixtures/minimal.yaml"]
    used = {f.source.kind for path in samples for f in load_config(path, default_registry()).feeds}
    assert name in used, f"no sample config has a '{name}' feed"


def test_a_kind_registered_twice_or_incomplete_fails_at_start_up() -> None:
    """Like tile types: a duplicate name or a half declaration is refused, never overridden."""
    redis = SourceKind("redis", RedisSource, "producer", how_to_write=lambda f: "XADD")
    with pytest.raises(ValueError, match="source kind 'redis' is registered twice"):
        source_kinds(redis, redis)
    with pytest.raises(ValueError, match="how_to_write exactly when producers write"):
        source_kinds(SourceKind("redis", RedisSource, "producer"))
    with pytest.raises(ValueError, match="does not declare kind 'mqtt'"):
        source_kinds(SourceKind("mqtt", RedisSource, "producer", how_to_write=lambda f: ""))


def test_callers_ask_the_registry_what_a_kind_means() -> None:
    """Adapters only for fetched kinds; catalogue kinds need the catalogue and are not recorded."""
    polled = feed({"kind": "http_poll", "url": "https://example.org/x.json"})
    assert SOURCE_KINDS.of(polled).adapter is not None
    assert SOURCE_KINDS.adapter_for(feed({"kind": "redis"}), None) is None
    indicator = feed({"kind": "indicator", "code": "CPI"})
    assert SOURCE_KINDS.catalogue_codes(indicator) == {"code": "CPI"}
    assert SOURCE_KINDS.catalogue_codes(feed({"kind": "reporting"})) == {}
    assert SOURCE_KINDS.catalogue_codes(polled) is None
    assert (SOURCE_KINDS.recorded(indicator), SOURCE_KINDS.recorded(polled)) == (False, True)
    unrecorded = Feed.model_validate({**polled.model_dump(), "history": {"record": False}})
    assert not SOURCE_KINDS.recorded(unrecorded)


def with_feeds(extra: str, catalogue: str = "") -> str:
    text = (ROOT / "tests/fixtures/minimal.yaml").read_text(encoding="utf-8")
    return catalogue + text.replace("feeds:\n", "feeds:\n" + extra, 1)


INDICATOR_FEEDS = (
    "  - {id: gdp, label: GDP, cadence: 30s, source: {kind: indicator, code: NOT_A_CODE}}\n"
    "  - {id: cpi, label: CPI, cadence: 30s, source: {kind: indicator, code: CPI_YOY}}\n"
    "  - {id: done, label: Reports, cadence: 30s, source: {kind: reporting}}\n"
)


def test_the_kinds_that_read_the_catalogue_need_one_naming_their_indicators(
    tmp_path: Path,
) -> None:
    """What each kind needs from the catalogue, located: no catalogue, or a code it lacks."""
    assert config_errors(tmp_path, with_feeds(INDICATOR_FEEDS)) == [
        "wall_config.yaml:4:56: feeds[0].source.kind: 'indicator' feeds need a 'catalogue:'",
        "wall_config.yaml:5:56: feeds[1].source.kind: 'indicator' feeds need a 'catalogue:'",
        "wall_config.yaml:6:61: feeds[2].source.kind: 'reporting' feeds need a 'catalogue:'",
    ]
    for name in ("indicators.csv", "agencies.csv"):
        shutil.copy(ROOT / "catalogue" / name, tmp_path / name)
    assert config_errors(tmp_path, with_feeds(INDICATOR_FEEDS, "catalogue: indicators.csv\n")) == [
        "wall_config.yaml:5:73: feeds[0].source.code: 'NOT_A_CODE' is not in indicators.csv"
    ]
