"""Where a feed's entries come from: one model per source kind, discriminated on `kind`.
What each kind means to the rest of opswall is declared in opswall/feeds/kinds.py.

Adapter settings that name hosts, URLs or secrets accept `${VAR}` and `${VAR:-default}`; they
are expanded from the environment when the adapter starts, never stored in the parsed config.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from opswall.config.primitives import Duration, Frozen


class SimRow(Frozen):
    """One row the `rows` generator emits: a name, a walking `value`, and constant fields."""

    name: str
    base: float
    fields: dict[str, float | str] = Field(default_factory=dict)


class SimulatorSource(Frozen):
    """Demo data: a bounded random walk, a running counter, or rows of walking values."""

    kind: Literal["simulator"]
    generator: Literal["walk", "counter", "rows", "events"] = "walk"
    base: float = Field(100.0, description="walk: the centre; counter: mean step per entry")
    jitter: float = Field(0.02, ge=0, le=1, description="relative step size per entry")
    decimals: int = Field(1, ge=0, le=6)
    min: float | None = None
    max: float | None = None
    start: float = Field(0.0, description="counter: the first value")
    rows: tuple[SimRow, ...] = Field(
        (), description="rows: the rows to emit; events: templates (name = text, fields)"
    )


class RedisSource(Frozen):
    """Entries written to the stream by an external producer; opswall runs no adapter."""

    kind: Literal["redis"]


class Pick(Frozen):
    """How records become entries: shared by the adapters that read foreign data.

    `records` is a path to the record (an object) or the records (a list) in a payload, e.g.
    `data.items`; `fields` maps entry fields to paths inside one record (`a.b[0]`, `[-1]`);
    without `fields` every scalar of the record is kept. `take` writes the `last` record, `all`
    records as separate entries (newer than the last written, by `ts`), or all of them as one
    entry of `rows` (for tables, bars and maps)."""

    records: str = Field("", description="path to the record(s) in the payload; '' = the root")
    fields: dict[str, str] = Field(default_factory=dict, description="entry field -> path")
    ts: str | None = Field(None, description="path to the record's as-of time")
    take: Literal["last", "all", "rows"] = "last"


class HttpPollSource(Pick):
    """GET a JSON or CSV document on an interval, with conditional requests."""

    kind: Literal["http_poll"]
    url: str = Field(min_length=1, description="http(s) URL; ${VAR} expanded at start")
    format: Literal["json", "csv"] = "json"
    every: Duration | None = Field(None, description="default: the feed's cadence")
    timeout: Duration = 10.0
    headers: dict[str, str] = Field(default_factory=dict, description="values may use ${VAR}")

    @model_validator(mode="after")
    def _http(self) -> HttpPollSource:
        if not self.url.startswith(("http://", "https://", "${")):
            raise ValueError("url must start with http:// or https://")
        return self


class HttpPushSource(Frozen):
    """Producers POST entries to `/api/feeds/<id>/entries` with a token for this feed
    (`opswall token create --feed <id>`). `require` names fields every entry must carry."""

    kind: Literal["http_push"]
    require: dict[str, Literal["number", "text"]] = Field(default_factory=dict)
    max_batch: int = Field(1000, ge=1, le=10_000)


class SqlPollSource(Pick):
    """Run a query on an interval against any SQLAlchemy URL; `cursor` names a column that only
    grows (an id or a time), bound as `:cursor` so each poll reads only new rows."""

    kind: Literal["sql_poll"]
    url: str = Field(min_length=1, description="SQLAlchemy URL; ${VAR} expanded at start")
    query: str = Field(min_length=1, description="SELECT ... WHERE col > :cursor ORDER BY col")
    cursor: str = Field(min_length=1, description="the growing column")
    start: str | int = Field(0, description="the cursor's first value")
    take: Literal["last", "all", "rows"] = "all"
    every: Duration | None = None
    timeout: Duration = 10.0

    @model_validator(mode="after")
    def _binds_cursor(self) -> SqlPollSource:
        if ":cursor" not in self.query:
            raise ValueError("query must use :cursor (e.g. WHERE id > :cursor ORDER BY id)")
        return self


class MqttSource(Pick):
    """Subscribe to topics on an MQTT broker; each message is a JSON object or a bare value."""

    kind: Literal["mqtt"]
    url: str = Field("mqtt://127.0.0.1:1883", description="mqtt://[user:pass@]host:port")
    topics: tuple[str, ...] = Field(min_length=1, description="topic filters (+ and # allowed)")
    format: Literal["json", "value"] = "json"
    topic_field: str | None = Field(None, description="also write the topic into this field")


class IndicatorSource(Frozen):
    """The current revision of a catalogued indicator's newest reported period."""

    kind: Literal["indicator"]
    code: str = Field(min_length=1, description="the indicator's code in the catalogue")
    area: str = Field("national", description="'national' or a province code")


class ReportingSource(Frozen):
    """Reporting completeness of the catalogue: connected, on time, late, missing by agency."""

    kind: Literal["reporting"]


Source = Annotated[
    SimulatorSource
    | RedisSource
    | HttpPollSource
    | HttpPushSource
    | SqlPollSource
    | MqttSource
    | IndicatorSource
    | ReportingSource,
    Field(discriminator="kind"),
]
