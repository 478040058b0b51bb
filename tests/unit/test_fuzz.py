"""Property-based tests: bad input is always answered with a located error or a reason.

The config loader must turn any YAML text into a model or `WallConfigError` whose issues point
inside the file; the feed decoder must turn any field map into an entry or a dead-letter reason,
and an entry it accepts must encode to a frame a browser's strict `JSON.parse` reads.
"""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from opswall.config.loader import load_config
from opswall.config.models import WallConfig
from opswall.errors import WallConfigError
from opswall.feeds.contract import FeedEntry, Rejected, decode_entry
from opswall.gateway import protocol
from opswall.tiles import default_registry

FIXTURE = Path(__file__).parents[1] / "fixtures" / "minimal.yaml"
BASE_TEXT = FIXTURE.read_text(encoding="utf-8")
BASE_DATA = yaml.safe_load(BASE_TEXT)
REGISTRY = default_registry()
# CI runs a few hundred examples per property; OPSWALL_FUZZ_EXAMPLES=5000 for a long hunt.
EXAMPLES = int(os.environ.get("OPSWALL_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["kpi", "chart", "map", "main", "power_load", "1x2", "5s", "${X}", "vi"]),
)
yaml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)


def outcome(tmp_path: Path, text: str) -> WallConfig | WallConfigError:
    path = tmp_path / "wall_config.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        return load_config(path, REGISTRY)
    except WallConfigError as exc:
        return exc


def assert_located(error: WallConfigError, text: str) -> None:
    """Every issue names the file and a line:column that exists in it."""
    lines = text.split("\n")
    assert error.issues
    for issue in error.issues:
        assert issue.file.endswith("wall_config.yaml")
        assert 1 <= issue.line <= len(lines) + 1, (issue, len(lines))
        assert issue.column >= 1
        assert issue.message


def mutate(data: Any, path: list[int], replacement: Any, delete: bool) -> Any:
    """A copy of `data` with the node reached by `path` (indexes into keys/items) changed."""
    if not path or not isinstance(data, dict | list) or not data:
        return replacement
    keys = list(data) if isinstance(data, dict) else list(range(len(data)))
    key = keys[path[0] % len(keys)]
    copy: Any = dict(data) if isinstance(data, dict) else list(data)
    if delete and len(path) == 1:
        del copy[key]
    else:
        copy[key] = mutate(copy[key], path[1:], replacement, delete)
    return copy


@FUZZ
@given(text=st.text(max_size=400))
@example(text="screens:\n  - id: main\x1f\n")  # found by this test: a control character
def test_any_text_is_a_model_or_located_errors(tmp_path: Path, text: str) -> None:
    """Arbitrary text (most of it not a wall at all) never raises anything but a located error."""
    result = outcome(tmp_path, text)
    if isinstance(result, WallConfigError):
        assert_located(result, text)


@FUZZ
@given(
    path=st.lists(st.integers(0, 50), min_size=1, max_size=6),
    replacement=yaml_values,
    delete=st.booleans(),
)
def test_mutated_wall_is_a_model_or_located_errors(
    tmp_path: Path, path: list[int], replacement: Any, delete: bool
) -> None:
    """The fixture wall with one node replaced or removed, anywhere in the document."""
    text = yaml.safe_dump(mutate(BASE_DATA, path, replacement, delete), allow_unicode=True)
    result = outcome(tmp_path, text)
    if isinstance(result, WallConfigError):
        assert_located(result, text)
    else:
        assert result.screens  # a model that loads is a usable wall


@FUZZ
@given(cut=st.integers(0, len(BASE_TEXT)), junk=st.text(max_size=8))
def test_truncated_or_spliced_file_is_located(tmp_path: Path, cut: int, junk: str) -> None:
    """An editor saving half a file, or a stray keystroke, is reported inside the file."""
    text = BASE_TEXT[:cut] + junk + BASE_TEXT[cut + len(junk) :]
    result = outcome(tmp_path, text)
    if isinstance(result, WallConfigError):
        assert_located(result, text)


def strict_json(text: str) -> Any:
    """JSON as a browser's JSON.parse reads it: NaN and Infinity are not JSON."""

    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


raw_values = st.one_of(
    st.binary(max_size=40),
    st.text(max_size=40),
    st.sampled_from(
        [
            "42",
            "-0.5",
            "1e308",
            "1e999",
            "01",
            "NaN",
            '{"a": NaN}',
            '{"v": Infinity}',
            '{"v": 1e999}',
            "[1,2]",
            '{"value": [1, {"x": null}]}',
            "1700000000000",
            "2026-11-21T10:00:00+07:00",
            "9" * 40,
        ]
    ),
)
raw_keys = st.one_of(st.sampled_from(["value", "ts", "json", "province"]), st.text(max_size=10))
raw_keys_bytes = st.one_of(raw_keys, st.binary(max_size=10))


@settings(max_examples=EXAMPLES * 3, deadline=None)
@given(
    fields=st.dictionaries(raw_keys_bytes, raw_values, max_size=8),
    ms=st.integers(0, 2**48),
    seq=st.integers(0, 2**20),
)
@example(fields={"json": '{"":NaN}'}, ms=0, seq=0)  # found by this test
@example(fields={"value": "1e999"}, ms=0, seq=0)
@example(fields={"ts": "1E310"}, ms=0, seq=0)  # found by a long run of this test
def test_any_field_map_is_an_entry_or_a_reason(fields: dict[Any, Any], ms: int, seq: int) -> None:
    """Decoding never raises; an accepted entry encodes to a frame a browser can parse."""
    entry_id = f"{ms}-{seq}"
    result = decode_entry(entry_id, fields)
    assert isinstance(result, FeedEntry | Rejected)
    assert result.id == entry_id
    if isinstance(result, Rejected):
        assert result.reason.strip()
        return
    assert result.fields
    frame = strict_json(protocol.data_frame([("feed", result)]))
    (wire,) = frame["entries"]
    assert wire[:3] == ["feed", entry_id, result.asof_ms]
    for value in wire[3].values():
        assert not (isinstance(value, float) and not math.isfinite(value))
