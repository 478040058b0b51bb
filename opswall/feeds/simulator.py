"""Demo data generators: pure, seeded, one per feed. They produce contract-shaped fields."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

from opswall.config.feed_sources import SimulatorSource
from opswall.config.models import Feed


def _fmt(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


@dataclass
class Simulator:
    """Emits the next entry's fields for one simulated feed."""

    source: SimulatorSource
    rng: random.Random
    value: float = 0.0
    row_values: list[float] = field(default_factory=list)
    open_events: list[str] = field(default_factory=list)
    sequence: int = 0

    def __post_init__(self) -> None:
        s = self.source
        self.value = s.start if s.generator == "counter" else s.base
        self.row_values = [row.base for row in s.rows]

    def _walk(self, value: float, centre: float) -> float:
        s = self.source
        step = self.rng.gauss(0, s.jitter) * abs(centre or 1)
        pull = (centre - value) * 0.05  # mean reversion keeps the demo near plausible figures
        value += step + pull
        if s.min is not None:
            value = max(s.min, value)
        if s.max is not None:
            value = min(s.max, value)
        return value

    def _event(self) -> dict[str, str]:
        """Raise an alert from a random template, or now and then clear an open one."""
        # Raising more often than clearing would open events without end; past two per template
        # the next event clears one, so the demo's count of open warnings stays plausible.
        crowded = len(self.open_events) >= 2 * len(self.source.rows)
        if self.open_events and (crowded or self.rng.random() < 0.35):
            event_id = self.open_events.pop(self.rng.randrange(len(self.open_events)))
            return {"id": event_id, "state": "cleared"}
        template = self.rng.choice(self.source.rows)
        self.sequence += 1
        event_id = f"ev{self.sequence}"
        self.open_events.append(event_id)
        fields = {k: str(v) for k, v in template.fields.items()}
        return {"id": event_id, "state": "raised", "text": template.name, **fields}

    def next_fields(self) -> dict[str, str]:
        s = self.source
        if s.generator == "events":
            return self._event()
        if s.generator == "rows":
            self.row_values = [
                self._walk(v, r.base) for v, r in zip(self.row_values, s.rows, strict=True)
            ]
            rows = [
                {"name": r.name, "value": round(v, s.decimals), **r.fields}
                for v, r in zip(self.row_values, s.rows, strict=True)
            ]
            return {"json": json.dumps({"rows": rows}, ensure_ascii=False)}
        if s.generator == "counter":
            self.value += max(0.0, self.rng.gauss(s.base, s.base * max(s.jitter, 0.2)))
        else:
            self.value = self._walk(self.value, s.base)
        return {"value": _fmt(self.value, s.decimals)}


def simulator_for(feed: Feed, seed: int | None = None) -> Simulator | None:
    if not isinstance(feed.source, SimulatorSource):
        return None
    return Simulator(feed.source, random.Random(seed if seed is not None else feed.id))
