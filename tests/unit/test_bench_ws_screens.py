"""The synthetic screens' own websocket framing (bench.ws_screens): what they count is only as
good as their parsing of the gateway's frames."""

from __future__ import annotations

import json

from bench.ws_screens import PING, TEXT, Tally, client_frame, lags_of, split_frames


def server_frame(opcode: int, payload: bytes) -> bytes:
    """An unmasked frame, as a server sends (RFC 6455 5.2)."""
    size = len(payload)
    if size < 126:
        return bytes([0x80 | opcode, size]) + payload
    if size < 1 << 16:
        return bytes([0x80 | opcode, 126]) + size.to_bytes(2, "big") + payload
    return bytes([0x80 | opcode, 127]) + size.to_bytes(8, "big") + payload


def test_frames_of_every_length_form_are_split_and_partial_ones_wait() -> None:
    payloads = [b"x" * 5, b"y" * 300, b"z" * 70_000]
    stream = b"".join(server_frame(TEXT, p) for p in payloads) + server_frame(PING, b"hb")
    cut = len(stream) - 3  # the ping is not complete yet
    buffer = bytearray(stream[:cut])
    frames, used = split_frames(buffer)
    assert [p for _, p in frames] == payloads
    del buffer[:used]
    buffer += stream[cut:]
    assert split_frames(buffer) == ([(PING, b"hb")], len(buffer))


def test_client_frames_are_masked_and_unmask_to_the_payload() -> None:
    payload = json.dumps({"type": "hello", "token": "t" * 200}).encode()
    frame = client_frame(TEXT, payload)
    assert frame[0] == 0x80 | TEXT and frame[1] & 0x80  # FIN, text, mask bit set
    assert frame[1] & 0x7F == 126 and int.from_bytes(frame[2:4], "big") == len(payload)
    mask, body = frame[4:8], frame[8:]
    assert body != payload
    assert bytes(b ^ mask[i % 4] for i, b in enumerate(body)) == payload


def test_lags_come_from_each_entrys_sent_field_and_the_sample_is_bounded() -> None:
    frame = json.dumps(
        {"type": "data", "entries": [["f", "1-0", 1, {"sent": "900.5"}], ["g", "2-0", 2, {}]]},
        separators=(",", ":"),
    ).encode()
    assert lags_of(frame, 1000.0) == [99.5]
    tally = Tally()
    for value in range(10_000):
        tally.lag(float(value))
    assert len(tally.lags) == 4000 and tally.seen == 10_000
    assert max(tally.lags) > 4000  # later lags replace earlier ones: the sample spans the second
