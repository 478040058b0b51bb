"""The indicator catalogue: what is reported, by whom, how often, and which way is good.

Loaded from a CSV kept in the repository (one row per indicator). Every problem is reported
with the CSV's file:line and column name, and all of them at once.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import Field, ValidationError

from opswall.config.primitives import Frozen, Text
from opswall.errors import OpswallError

if TYPE_CHECKING:
    from opswall.config.live import ConfigSource

log = logging.getLogger("opswall.indicators")

PeriodKind = Literal["daily", "weekly", "monthly", "quarterly", "half_yearly", "yearly", "ad_hoc"]
COLUMNS = (
    "code",
    "name_vi",
    "name_en",
    "unit",
    "period",
    "agency",
    "level",
    "direction",
    "target",
    "due_days",
    "category",
)
REQUIRED = ("code", "name_vi", "name_en", "period", "agency")


class Indicator(Frozen):
    code: str = Field(pattern=r"^[A-Z0-9][A-Z0-9_.-]*$", max_length=40)
    name: Text
    unit: str = ""
    period: PeriodKind
    agency: str = Field(min_length=1)
    level: Literal["national", "province"] = "national"
    direction: Literal["up", "down", "none"] = "none"
    target: float | None = None
    due_days: int = Field(10, ge=0, le=366, description="days after the period ends")
    category: str = ""


class CatalogueError(OpswallError):
    def __init__(self, issues: list[str]) -> None:
        self.issues = issues
        super().__init__("\n".join(issues))


@dataclass(frozen=True)
class Catalogue:
    path: Path
    indicators: tuple[Indicator, ...]
    agency_names: dict[str, Text] = field(default_factory=dict)  # from agencies.csv beside it

    def __iter__(self) -> Iterator[Indicator]:
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def get(self, code: str) -> Indicator | None:
        return next((i for i in self.indicators if i.code == code), None)

    def agencies(self) -> list[str]:
        return sorted({i.agency for i in self.indicators})


def _row_model(row: dict[str, str]) -> dict[str, object]:
    def blank_none(key: str) -> str | None:
        value = (row.get(key) or "").strip()
        return value or None

    values: dict[str, object] = {
        "code": (row.get("code") or "").strip(),
        "name": {"vi": blank_none("name_vi"), "en": blank_none("name_en")},
        "unit": (row.get("unit") or "").strip(),
        "period": (row.get("period") or "").strip(),
        "agency": (row.get("agency") or "").strip(),
        "category": (row.get("category") or "").strip(),
    }
    for key in ("level", "direction", "target", "due_days"):
        if blank_none(key) is not None:
            values[key] = blank_none(key)
    return values


def load_catalogue(path: Path) -> Catalogue:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise CatalogueError([f"{path}: cannot read the catalogue ({exc.strerror})"]) from None
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    issues = [f"{path}:1: missing column '{c}'" for c in REQUIRED if c not in header]
    issues += [
        f"{path}:1: unknown column '{c}' (known: {', '.join(COLUMNS)})"
        for c in header
        if c not in COLUMNS
    ]
    if issues:
        raise CatalogueError(issues)
    indicators: list[Indicator] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        try:
            indicator = Indicator.model_validate(_row_model(row))
        except ValidationError as exc:
            for error in exc.errors():
                column = ".".join(str(p) for p in error["loc"]) or "row"
                column = {"name.vi": "name_vi", "name.en": "name_en", "name": "name_vi"}.get(
                    column, column
                )
                message = str(error["msg"]).removeprefix("Value error, ")
                issues.append(f"{path}:{line}: {column}: {message} (got {error['input']!r})")
            continue
        if indicator.code in seen:
            issues.append(
                f"{path}:{line}: code: '{indicator.code}' is also on line {seen[indicator.code]}"
            )
            continue
        seen[indicator.code] = line
        indicators.append(indicator)
    names = _agency_names(path.with_name("agencies.csv"), issues)
    if issues:
        raise CatalogueError(issues)
    return Catalogue(path, tuple(indicators), names)


def _agency_names(path: Path, issues: list[str]) -> dict[str, Text]:
    """Optional `code,name_vi,name_en` rows naming the agencies the catalogue refers to."""
    if not path.exists():
        return {}
    names: dict[str, Text] = {}
    reader = csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines())
    for row in reader:
        code = (row.get("code") or "").strip()
        try:
            names[code] = Text(vi=row.get("name_vi") or None, en=row.get("name_en") or None)
        except ValidationError:
            issues.append(f"{path}:{reader.line_num}: give name_vi or name_en for '{code}'")
    return names


class CatalogueCache:
    """The catalogue the live config names, reloaded when its file changes."""

    def __init__(self, source: ConfigSource) -> None:
        self.source = source
        self._held: tuple[Path, float, Catalogue] | None = None

    def get(self) -> Catalogue | None:
        from opswall.config.loader import catalogue_path

        path = catalogue_path(self.source.current.config, self.source.path.parent)
        if path is None:
            return None
        try:
            mtime = path.stat().st_mtime
            if self._held is None or self._held[:2] != (path, mtime):
                self._held = (path, mtime, load_catalogue(path))
        except (OSError, CatalogueError) as exc:
            log.warning("catalogue %s unusable (%s); keeping the last good one", path, exc)
        return self._held[2] if self._held else None
