"""Feed-source kinds: the one place each `source.kind` says what it is and who writes its stream.

Like tile types (opswall/tiles/registry.py), each kind is one declaration: its config model, who
writes the feed's stream (an adapter the runner drives, the simulator, producers outside, or
the indicator publisher), the adapter's factory, whether its entries are recorded in the
history database, and what it needs from the indicator catalogue. Callers look a kind up here
instead of testing the source's class; a meta-test (tests/unit/test_source_kinds.py) fails when
a model of the `Source` union is not registered or a declaration is incomplete.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel

from opswall.config.feed_sources import (
    HttpPollSource,
    HttpPushSource,
    IndicatorSource,
    MqttSource,
    RedisSource,
    ReportingSource,
    SimulatorSource,
    SqlPollSource,
)
from opswall.config.models import Feed
from opswall.feeds.adapters.base import Adapter, CursorStore, FeedOutlet
from opswall.store.redis_client import AsyncClient

S = TypeVar("S", bound=BaseModel)
Writer = Literal["adapter", "simulator", "producer", "publisher"]
AdapterFactory = Callable[[Feed, S, CursorStore | None, FeedOutlet | None], Adapter]


@dataclass(frozen=True)
class SourceKind(Generic[S]):
    """One kind of feed source and everything the rest of opswall asks about it."""

    name: str
    model: type[S]
    writer: Writer  # who writes the feed's stream
    recorded: bool = True  # entries go to the history database (if the feed's history says so)
    adapter: AdapterFactory[S] | None = None  # writer "adapter": what the feed runner drives
    # Needs the catalogue: field -> indicator code the catalogue must hold ({} for none).
    catalogue: Callable[[S], dict[str, str]] | None = None
    how_to_write: Callable[[Feed], str] | None = None  # writer "producer": for `feeds test`

    def problems(self) -> list[str]:
        """What the declaration lacks or contradicts: empty for a complete kind."""
        found = []
        kind_field = self.model.model_fields.get("kind")
        if kind_field is None or typing.get_args(kind_field.annotation) != (self.name,):
            found.append(f"model {self.model.__name__} does not declare kind '{self.name}'")
        if (self.writer == "adapter") != (self.adapter is not None):
            found.append("an adapter factory exactly when an adapter writes the stream")
        if (self.writer == "producer") != (self.how_to_write is not None):
            found.append("how_to_write exactly when producers write the stream")
        if self.writer == "publisher" and (self.catalogue is None or self.recorded):
            found.append("a publisher kind reads the catalogue and is not recorded again")
        return found


@dataclass(frozen=True)
class SourceKinds:
    """Every known kind by name; built by `source_kinds`, never changed afterwards."""

    kinds: Mapping[str, SourceKind[Any]]

    def names(self) -> list[str]:
        return sorted(self.kinds)

    def of(self, feed: Feed) -> SourceKind[Any]:
        return self.kinds[feed.source.kind]

    def adapter_for(self, feed: Feed, redis: AsyncClient | None) -> Adapter | None:
        """The adapter that feeds `feed`, or None when opswall runs none for it. Without Redis
        (`opswall feeds test`) cursors start from the config and bad records raise."""
        factory = self.of(feed).adapter
        if factory is None:
            return None
        cursor = CursorStore(redis, feed.id) if redis is not None else None
        # Where records that fit no entry are set aside, with their reason (dead letters).
        outlet = FeedOutlet(redis, feed, feed.source.kind) if redis is not None else None
        return factory(feed, feed.source, cursor, outlet)

    def recorded(self, feed: Feed) -> bool:
        """Whether the feed's entries go to the history database."""
        return feed.history.record and self.of(feed).recorded

    def catalogue_codes(self, feed: Feed) -> dict[str, str] | None:
        """Field -> indicator code the catalogue must hold; None: the feed needs no catalogue."""
        need = self.of(feed).catalogue
        return None if need is None else need(feed.source)


def source_kinds(*kinds: SourceKind[Any]) -> SourceKinds:
    """A registry of `kinds`; a name given twice or an incomplete declaration fails here."""
    by_name: dict[str, SourceKind[Any]] = {}
    for kind in kinds:
        if kind.name in by_name:
            raise ValueError(f"source kind '{kind.name}' is registered twice")
        if kind.problems():
            raise ValueError(f"source kind '{kind.name}' needs {'; '.join(kind.problems())}")
        by_name[kind.name] = kind
    return SourceKinds(by_name)


# The adapters' I/O libraries load only when a feed runs: `opswall check` consults this registry.
def _http_poll(
    feed: Feed, source: HttpPollSource, cursor: CursorStore | None, outlet: FeedOutlet | None
) -> Adapter:
    from opswall.feeds.adapters.http_poll import HttpPoll

    return HttpPoll(feed, source, cursor, outlet)


def _sql_poll(
    feed: Feed, source: SqlPollSource, cursor: CursorStore | None, outlet: FeedOutlet | None
) -> Adapter:
    from opswall.feeds.adapters.sql_poll import SqlPoll

    return SqlPoll(feed, source, cursor, outlet)


def _mqtt(
    feed: Feed, source: MqttSource, cursor: CursorStore | None, outlet: FeedOutlet | None
) -> Adapter:
    from opswall.feeds.adapters.mqtt import Mqtt

    return Mqtt(feed, source, outlet)  # a subscription has no cursor to resume from


def _xadd_hint(feed: Feed) -> str:
    return f"XADD {feed.stream_key} * value <number> by an external producer"


def _push_hint(feed: Feed) -> str:
    return (
        f"POST /api/feeds/{feed.id}/entries with a token from "
        f"`opswall token create --feed {feed.id}`"
    )


def _indicator_codes(source: IndicatorSource) -> dict[str, str]:
    return {"code": source.code}


def _no_codes(source: ReportingSource) -> dict[str, str]:
    return {}


# The built-in kinds, one declaration each: adding a kind is its model in config/feed_sources.py
# (in the `Source` union) and one line here.
SOURCE_KINDS = source_kinds(
    SourceKind("simulator", SimulatorSource, "simulator"),
    SourceKind("redis", RedisSource, "producer", how_to_write=_xadd_hint),
    SourceKind("http_poll", HttpPollSource, "adapter", adapter=_http_poll),
    SourceKind("http_push", HttpPushSource, "producer", how_to_write=_push_hint),
    SourceKind("sql_poll", SqlPollSource, "adapter", adapter=_sql_poll),
    SourceKind("mqtt", MqttSource, "adapter", adapter=_mqtt),
    # Their record is the reports table itself: not recorded a second time.
    SourceKind("indicator", IndicatorSource, "publisher", False, catalogue=_indicator_codes),
    SourceKind("reporting", ReportingSource, "publisher", False, catalogue=_no_codes),
)


def adapter_for(feed: Feed, redis: AsyncClient | None) -> Adapter | None:
    """The built-in registry's `adapter_for`."""
    return SOURCE_KINDS.adapter_for(feed, redis)
