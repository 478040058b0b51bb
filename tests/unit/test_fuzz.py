"""Property-based tests: bad input is always answered with a located error or a reason.

The config loader must turn any YAML text into a model or `WallConfigError` whose issues point
inside the file; the feed decoder must turn any field map into an entry or a dead-letter reason,
and an entry it accepts must encode to a frame a browser's strict `JSON.parse` reads. The same
checks drive the coverage-guided targets in tests/fuzz/ (issue 17): here hypothesis generates
structured hostile input (deep nesting, lone surrogates, control characters) for them.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from opswall.config.loader import load_config
from opswall.config.models import WallConfig
from opswall.control.actions import ActionError, parse_action
from opswall.errors import WallConfigError
from opswall.feeds.contract import FeedEntry, Rejected, decode_entry
from opswall.gateway import protocol
from opswall.tiles import default_registry
from tests.fuzz.seeds import CORPUS, SEEDS
from tests.fuzz.targets import (
    SEPARATOR,
    TARGETS,
    check_decoded,
    fuzz_body,
    fuzz_decode,
    fuzz_normalize,
)

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
            '{"a":' * 2000 + "1" + "}" * 2000,  # issue 17: RecursionError out of the decoder
            '{"n": "\\ud800"}',  # issue 17: decoded, then no frame could carry it
            '{"n": "a\\u0000b"}',
            '{"v": 1' + "0" * 5000 + "}",
            "\ud800",
            "a\x00b\x1b[2J",
        ]
    ),
    st.text(st.characters(categories=["Cs", "Cc", "Lo", "Nd"]), max_size=20),
)
raw_keys = st.one_of(
    st.sampled_from(["value", "ts", "json", "province", "\udc80", "a\x00", "k" * 200]),
    st.text(max_size=10),
)
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
        result.reason.encode("utf-8")  # a dead letter can always keep it
        return
    assert result.fields
    frame = strict_json(protocol.data_frame([("feed", result)]))
    (wire,) = frame["entries"]
    assert wire[:3] == ["feed", entry_id, result.asof_ms]
    for value in wire[3].values():
        assert not (isinstance(value, float) and not math.isfinite(value))
    check_decoded(fields)  # the fuzz target's own checks: the frame is UTF-8, too


json_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.characters(categories=["Cs", "Cc", "Lo", "Ll", "Nd"]), max_size=12),
)
json_values = st.recursive(
    json_leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=30,
)


def nested(depth: int, leaf: str = "1") -> str:
    return '{"v": ' + "[" * depth + leaf + "]" * depth + "}"


def as_json(value: Any) -> bytes:
    """JSON text as a producer might send it: escapes for anything not ASCII (so a lone
    surrogate travels as `\\ud800`, as in issue 17)."""
    return json.dumps(value).encode("ascii")


bodies = st.one_of(
    st.binary(max_size=200),
    json_values.map(as_json),
    st.lists(json_values, max_size=5).map(lambda v: as_json({"entries": v})),
    st.integers(0, 3000).map(lambda d: nested(d).encode()),
    st.sampled_from(
        [b'{"value": NaN}', b'{"value": 1e400}', b'{"value": "\\ud800"}', b'{"value": "\\u0000"}']
    ),
)


@FUZZ
@given(body=bodies)
@example(body=nested(5000).encode())  # issue 17: a 500 from the producer API
def test_any_body_is_refused_with_a_reason_or_written_per_the_contract(body: bytes) -> None:
    """A producer API body is a 400/413 with a storable reason, or entries the contract takes
    and a frame can carry, or per-entry reasons."""
    fuzz_body(body)


formats = st.sampled_from([b"j", b"c", b"v"])
picks = st.integers(0, 255).map(lambda i: bytes([i]))


@FUZZ
@given(fmt=formats, pick=picks, payload=st.one_of(bodies, st.text().map(str.encode)))
def test_any_adapter_payload_is_entries_or_refusals(
    fmt: bytes, pick: bytes, payload: bytes
) -> None:
    """A polled document or MQTT message gives entries that decode, and refusals with storable
    reasons; only NormalizeError leaves the whole payload."""
    fuzz_normalize(fmt + pick + payload)


@FUZZ
@given(
    frame=st.one_of(
        st.binary(max_size=200),
        json_values.map(
            lambda v: json.dumps({"type": "hello", "token": v, "last": {}, "feeds": v})
        ),
        st.integers(0, 20_000).map(lambda d: "[" * d + "]" * d),
    )
)
def test_any_screen_frame_is_a_hello_or_a_protocol_error(frame: str | bytes) -> None:
    """A screen's frame is a hello or a ProtocolError that fits a close frame, never anything
    else (a deep one raised RecursionError in the handler)."""
    try:
        protocol.parse_hello(frame)
    except protocol.ProtocolError as exc:
        assert len(str(exc).encode("utf-8")) <= 123


@FUZZ
@given(data=st.binary(max_size=300), text_mode=st.booleans())
def test_the_decode_target_holds_for_any_bytes(data: bytes, text_mode: bool) -> None:
    """The coverage-guided decode target's input layout, driven by hypothesis."""
    fuzz_decode((b"t" if text_mode else b"b") + data.replace(b",", SEPARATOR))


# Seconds of coverage-guided fuzzing per target in the suite; the long run is in reliability.md.
ATHERIS_SECONDS = int(os.environ.get("OPSWALL_ATHERIS_SECONDS", "3"))
ROOT = Path(__file__).parents[2]


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_every_corpus_input_holds(target: str) -> None:
    """Every committed corpus input (issue 17's crashes among them, the 5 MB body too) passes
    its target's checks, run directly."""
    inputs = sorted((CORPUS / target).iterdir())
    assert {p.name for p in inputs} >= set(SEEDS[target])  # the seeds are all committed
    for path in inputs:
        TARGETS[target](path.read_bytes())


def test_the_corpus_holds_the_crashes_of_issue_17() -> None:
    """Deep nesting, a lone surrogate, 1e400, NaN, a huge field, control characters, 5 MB."""
    assert {"deep-json", "lone-surrogate-escape", "1e400", "nan", "huge-field"} <= set(
        SEEDS["decode"]
    )
    assert {"control-chars", "many-nodes", "not-utf8"} <= set(SEEDS["decode"])
    assert len((CORPUS / "body" / "5MB").read_bytes()) > 5_000_000


@pytest.mark.parametrize("target", sorted(TARGETS))
def test_a_short_coverage_guided_run_finds_nothing(target: str, tmp_path: Path) -> None:
    """atheris (libFuzzer) runs the target from the committed corpus for a few seconds of
    mutations; new inputs go to a scratch directory, and no crash or hang is found."""
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.fuzz",
            target,
            str(tmp_path),
            str(CORPUS / target),
            f"-max_total_time={ATHERIS_SECONDS}",
            "-max_len=65536",
            "-rss_limit_mb=1024",
            "-timeout=10",  # an input handled this slowly is a hang (a quadratic scan was)
            f"-artifact_prefix={tmp_path}/",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Done" in run.stderr and not list(tmp_path.glob("crash-*"))


ACTION_KEYS = st.sampled_from(["action", "scene", "screen", "layout", "tile", "var", "value"])
ACTION_NAMES = st.sampled_from(["scene", "focus", "drill", "ack", "raise", "clear", "x" * 300])


@FUZZ
@given(st.dictionaries(ACTION_KEYS | st.text(max_size=300), json_values | ACTION_NAMES))
def test_any_control_body_is_an_action_or_a_short_located_refusal(raw: dict[str, Any]) -> None:
    """A panel's body becomes a typed action or ActionError, never another exception, and the
    reason never echoes more than a bounded part of what was sent."""
    try:
        parse_action(raw)
    except ActionError as refused:
        assert len(str(refused)) < 400
