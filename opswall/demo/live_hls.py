"""A live HLS stream made of a recorded clip, for the demo and the tests (issue 23).

A camera's live HLS is a sliding window: a playlist with no `#EXT-X-ENDLIST` that names the last
few segments, each published once it is complete, the media sequence number rising with time.
Here the segments are a VOD clip's (opswall.demo.clips.write_hls), played round and round on a
timeline that starts at `origin_s` (the server's start): live segment k is the clip's segment
k mod n, it covers the real time [start_k, start_k + duration) and is named in the playlist from
its end on, with its `#EXT-X-PROGRAM-DATE-TIME`. Every viewer that asks at the same instant gets
the same playlist, so slices of a span see one stream, and `#EXT-X-DISCONTINUITY` marks each
loop point (the clip's timestamps start over there). The origin is not the Unix epoch: hls.js
1.7.4 takes seconds to parse each segment when the discontinuity sequence is in the hundreds of
millions (a loop every 12 s since 1970), and a real stream's counts start with the stream.

Pure: `parse_vod` reads a VOD playlist (bounded, refusing anything but plain segment names) and
`live_playlist` writes the window at a given instant; opswall.demo.whep serves them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime

MAX_PLAYLIST_BYTES = 64 * 1024
MAX_SEGMENTS = 1000
MAX_SEGMENT_S = 60.0
WINDOW = 6  # segments named at once: at least three target durations (RFC 8216, 6.2.2)
SEGMENT_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}\.(ts|m4s|aac)")


class PlaylistError(ValueError):
    """A VOD playlist that cannot be looped live; the text says where."""


@dataclass(frozen=True)
class Vod:
    target_duration: int
    segments: tuple[tuple[str, float], ...]  # (file name, duration s)

    @property
    def duration(self) -> float:
        return sum(d for _, d in self.segments)


def parse_vod(text: str) -> Vod:
    """The segments of a VOD media playlist, in order, with their durations."""
    if len(text) > MAX_PLAYLIST_BYTES:
        raise PlaylistError(f"playlist is {len(text)} characters, over {MAX_PLAYLIST_BYTES}")
    lines = [line.strip() for line in text.splitlines()]
    if not lines or lines[0] != "#EXTM3U":
        raise PlaylistError("line 1: not an HLS playlist (no #EXTM3U)")
    target, pending, segments = None, None, []
    for number, line in enumerate(lines[1:], start=2):
        if line.startswith("#EXT-X-TARGETDURATION:"):
            target = _number(line.split(":", 1)[1], number, MAX_SEGMENT_S)
        elif line.startswith("#EXTINF:"):
            pending = _number(line.split(":", 1)[1].split(",", 1)[0], number, MAX_SEGMENT_S)
        elif line and not line.startswith("#"):
            if pending is None:
                raise PlaylistError(f"line {number}: segment {line[:40]!r} without #EXTINF")
            if not SEGMENT_NAME.fullmatch(line):
                raise PlaylistError(f"line {number}: {line[:40]!r} is not a plain segment name")
            segments.append((line, pending))
            pending = None
            if len(segments) > MAX_SEGMENTS:
                raise PlaylistError(f"line {number}: over {MAX_SEGMENTS} segments")
    if target is None or not segments:
        raise PlaylistError("no #EXT-X-TARGETDURATION or no segments")
    return Vod(math.ceil(target), tuple(segments))


def _number(text: str, line: int, most: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise PlaylistError(f"line {line}: {text[:20]!r} is not a number") from None
    if not 0 < value <= most:  # NaN fails too
        raise PlaylistError(f"line {line}: {text[:20]!r} is not within (0, {most:g}] s")
    return value


def live_playlist(
    vod: Vod, now_s: float, origin_s: float = 0, window: int = WINDOW, dated: bool = True
) -> str:
    """The live playlist at Unix time `now_s`: the last `window` complete segments of the clip
    looped from `origin_s`; `dated` adds each segment's #EXT-X-PROGRAM-DATE-TIME."""
    n, cycle = len(vod.segments), vod.duration
    starts = [sum(d for _, d in vod.segments[:i]) for i in range(n)]

    def start(k: int) -> float:
        return origin_s + (k // n) * cycle + starts[k % n]

    laps, within = divmod(now_s - origin_s, cycle)
    done = [i for i in range(n) if starts[i] + vod.segments[i][1] <= within + 1e-9]
    last = int(laps) * n + (done[-1] if done else -1)  # the newest segment complete at now_s
    first = max(0, last - window + 1)
    head = [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{vod.target_duration}",
        f"#EXT-X-MEDIA-SEQUENCE:{first}",
        f"#EXT-X-DISCONTINUITY-SEQUENCE:{first // n}",
    ]
    body = []
    for k in range(first, last + 1):
        name, duration = vod.segments[k % n]
        if k % n == 0 and k != first:
            body.append("#EXT-X-DISCONTINUITY")  # the clip's timestamps start over
        if dated:
            body.append(f"#EXT-X-PROGRAM-DATE-TIME:{_iso(start(k))}")
        body += [f"#EXTINF:{duration:.6f},", name]
    return "\n".join(head + body) + "\n"


def _iso(seconds: float) -> str:
    whole, ms = divmod(round(seconds * 1000), 1000)
    return datetime.fromtimestamp(whole, UTC).strftime("%Y-%m-%dT%H:%M:%S.") + f"{ms:03d}Z"
