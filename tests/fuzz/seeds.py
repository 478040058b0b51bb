"""The hand-written seeds of the committed corpus: issue 17's crashes and their relatives.
`python -m tests.fuzz.seeds` (re)writes them to corpus/<target>/<name>; inputs a long run
finds are added to the same directories next to them."""

from __future__ import annotations

from pathlib import Path

CORPUS = Path(__file__).parent / "corpus"
S = b"\xff\xfe"  # the decode target's separator between names and values
DEEP = b'{"a":' * 3000 + b"1" + b"}" * 3000
DEEP_LIST = b"[" * 5000 + b"]" * 5000

DECODE = {
    "good": b"bvalue" + S + b"42.5" + S + b"ts" + S + b"2026-11-21T08:30:00+07:00",
    "rows": b"bjson" + S + '{"rows": [{"name": "Sông Hồng", "value": 9.12}]}'.encode(),
    "deep-json": b"bjson" + S + DEEP,
    "deep-list": b"bjson" + S + b'{"v": ' + DEEP_LIST + b"}",
    "lone-surrogate-escape": b"bjson" + S + b'{"name": "\\ud800"}',
    "lone-surrogate-str": b"tvalue" + S + b"\xed\xa0\x80",
    "surrogate-name": b"t\xed\xb2\x80" + S + b"1",
    "not-utf8": b"bvalue" + S + b"\xff\xfe\xed",
    "1e400": b"bvalue" + S + b"1e400",
    "json-1e400": b"bjson" + S + b'{"v": 1e400}',
    "nan": b"bvalue" + S + b"NaN" + S + b"json" + S + b'{"v": NaN}',
    "infinity": b"bjson" + S + b'{"v": -Infinity}',
    "big-int": b"bjson" + S + b'{"v": 1' + b"0" * 5000 + b"}",
    "huge-field": b"bvalue" + S + b"x" * 300_000,
    "huge-name": b"b" + b"n" * 5000 + S + b"1",
    "control-chars": b"bvalue" + S + b"a\x00b\x1b[2J\x7f",
    "many-fields": b"b" + S.join(b"f%d" % i + S + b"1" for i in range(300)),
    "many-nodes": b"bjson" + S + b'{"v": [' + b"0," * 30_000 + b"0]}",
    "ts-seconds": b"bvalue" + S + b"1" + S + b"ts" + S + b"1763690000",
    "ts-huge": b"bvalue" + S + b"1" + S + b"ts" + S + b"1E310",
    "only-ts": b"bts" + S + b"1763690000000",
    "empty": b"",
    # Found while measuring the poison fault: the nesting scan retried every quote of an
    # unterminated string, quadratic (this one took minutes; it must take milliseconds).
    "unterminated-escapes": b"bjson" + S + b'"\\' * 120_000,
}
NORMALIZE = {
    "items": b"j\x01"
    + b'{"data": {"items": [{"v": 1.5, "t": "2026-11-20T10:00:00Z", "site": "01"}]}}',
    "all": b"j\x02" + b'{"data": {"items": [{"v": 1, "t": 1763690000000}, {"v": 2, "t": "x"}]}}',
    "rows": b"j\x03" + b'{"rows": [{"name": "A", "value": [1]}, {"name": "B", "value": [2]}]}',
    "deep": b"j\x00" + DEEP_LIST,
    "surrogate": b"j\x00" + b'{"value": "\\udc00"}',
    "nan": b"j\x00" + b'{"value": NaN}',
    "1e400": b"j\x04" + b'[{"value": 1e400, "ts": 1763690000000}]',
    "control": b"j\x00" + b'{"value": "a\\u0000b"}',
    "csv": b"c\x00" + "name,temp\nHuế,24.5\n".encode(),
    "csv-nul": b"c\x00" + b"name,temp\nA\x00,1\n",
    "csv-huge-field": b"c\x00" + b"a\n" + b"x" * 200_000 + b"\n",
    "value": b"v\x00" + b" 42.5\n",
    "not-utf8": b"v\x00" + b"\xff\xfe",
    "bom": b"j\x00" + b'\xef\xbb\xbf{"value": 1}',
    "unterminated-escapes": b"j\x00" + b'"\\' * 200_000,
}
BODY = {
    "good": b'{"entries": [{"value": 3, "topic": "\xc4\x91\xe1\xba\xa5t \xc4\x91ai"}]}',
    "deep": b'{"value": 1, "d": ' + DEEP_LIST + b"}",
    "surrogate": b'{"value": 1, "note": "\\ud800"}',
    "nan": b'{"value": NaN}',
    "1e400": b'{"value": 1e400}',
    "control": b'{"value": 1, "note": "a\\u0000\\u001b"}',
    "huge-field": b'{"value": 1, "note": "' + b"x" * 1_900_000 + b'"}',
    "5MB": b'{"value": 1, "n": "' + b"x" * 5_000_000 + b'"}',
    "big-int": b'{"value": 1' + b"0" * 5000 + b"}",
    "list": b'[{"value": 1}, {"value": "many"}, [1], null]',
    "not-json": b"{not json",
    "not-utf8": b'{"value": "\xff"}',
    "unterminated-escapes": b'{"value": 1, "n": "' + b'"\\' * 600_000,
}
SEEDS = {"decode": DECODE, "normalize": NORMALIZE, "body": BODY}


def write() -> None:
    for target, seeds in SEEDS.items():
        directory = CORPUS / target
        directory.mkdir(parents=True, exist_ok=True)
        for name, data in seeds.items():
            (directory / name).write_bytes(data)


if __name__ == "__main__":
    write()
