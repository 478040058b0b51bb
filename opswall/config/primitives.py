"""Small shared building blocks of the config models: identifiers, durations, labels."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    model_validator,
)

Locale = Literal["vi", "en"]
LOCALES: tuple[Locale, ...] = ("vi", "en")

IDENTIFIER = r"^[a-z0-9][a-z0-9_-]*$"
Identifier = Annotated[str, Field(pattern=IDENTIFIER, max_length=64)]

_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*$")
_PARTS = re.compile(r"^\s*(?:\d+(?:\.\d+)?\s*(?:ms|s|m|h|d)\s*)+$")
_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)")
_UNIT_SECONDS = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def parse_duration(value: Any) -> float:
    """`"5s"`, `"500ms"`, `"2m"`, `"1h"`, `"1h30m"` (units largest first, each once) or a number
    of seconds -> seconds."""
    if isinstance(value, bool):
        raise ValueError("expected a duration like 30s, 10m, 1h30m or 500ms")
    if isinstance(value, int | float):
        return float(value)
    text = str(value)
    if number := _NUMBER.match(text):
        return float(number.group(1))
    parts = _PART.findall(text) if _PARTS.match(text) else []
    units = [_UNIT_SECONDS[unit] for _, unit in parts]
    if not parts or units != sorted(set(units), reverse=True):
        raise ValueError(f"'{value}' is not a duration (use e.g. 30s, 10m, 1h30m, 500ms)")
    return sum(float(amount) * _UNIT_SECONDS[unit] for amount, unit in parts)


def format_duration(seconds: float) -> str:
    """Seconds as the file writes a duration, largest units first: 600 -> `10m`, 5400 ->
    `1h30m`, 0.5 -> `500ms`; what `parse_duration` reads back to the same number."""
    millis = round(seconds * 1000)
    if millis <= 0 or abs(millis - seconds * 1000) > 1e-6 * max(1.0, seconds):
        return f"{seconds:g}"
    parts = []
    for unit, size in _UNIT_SECONDS.items():
        count, millis = divmod(millis, round(size * 1000))
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)


def _positive(seconds: float) -> float:
    if seconds <= 0:
        raise ValueError("must be longer than zero")
    return seconds


Duration = Annotated[
    float,
    BeforeValidator(parse_duration),
    AfterValidator(_positive),
    WithJsonSchema({"type": "string", "format": "duration"}),
]


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone '{name}' (use an IANA name like Asia/Ho_Chi_Minh)"
        ) from None
    return name


TimeZoneName = Annotated[str, AfterValidator(_known_zone)]


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Text(Frozen):
    """A label in the wall's languages; a plain string is used for both."""

    vi: str | None = None
    en: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_plain_string(cls, value: Any) -> Any:
        if isinstance(value, str | int | float):
            return {"vi": str(value), "en": str(value)}
        return value

    @model_validator(mode="after")
    def _not_empty(self) -> Text:
        if self.vi is None and self.en is None:
            raise ValueError("give at least one of vi, en")
        return self

    def get(self, locale: Locale) -> str:
        other = self.en if locale == "vi" else self.vi
        return (self.vi if locale == "vi" else self.en) or other or ""
