"""The demo's live HLS stream (issue 23): a VOD clip looped into a sliding-window playlist whose
media sequence and program dates follow real time, the same for every viewer at one instant."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from opswall.demo.live_hls import MAX_SEGMENTS, PlaylistError, Vod, live_playlist, parse_vod
from opswall.demo.whep import WhepServer
from tests.conftest import run_async

VOD = """#EXTM3U
#EXT-X-VERSION:3
#EXT-X-TARGETDURATION:2
#EXT-X-MEDIA-SEQUENCE:0
#EXT-X-PLAYLIST-TYPE:VOD
#EXTINF:2.000000,
index0.ts
#EXTINF:2.000000,
index1.ts
#EXTINF:2.000000,
index2.ts
#EXT-X-ENDLIST
"""
CLIP = parse_vod(VOD)  # 6 s: three 2 s segments


def tags(text: str, name: str) -> list[str]:
    return [line.split(":", 1)[1] for line in text.splitlines() if line.startswith(f"#{name}:")]


def test_a_vod_playlist_gives_its_segments_and_target() -> None:
    """The segments, in order, with their durations."""
    segments = (("index0.ts", 2.0), ("index1.ts", 2.0), ("index2.ts", 2.0))
    assert (CLIP.target_duration, CLIP.segments) == (2, segments)
    assert CLIP.duration == 6


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "no #EXTM3U"),
        ("#EXTM3U\n#EXTINF:2,\nindex0.ts\n", "no #EXT-X-TARGETDURATION"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\nindex0.ts\n", "line 3: segment 'index0.ts' without"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n../secret.ts\n", "line 4: '../secret"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nhttp://x/a.ts\n", "plain segment name"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:nan,\na.ts\n", "line 3: 'nan' is not within"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:0,\na.ts\n", "not within"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:1e308,\na.ts\n", "not within"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:x\n", "line 2: 'x' is not a number"),
        ("#EXTM3U\n" + "#EXTINF:1,\na.ts\n" * (MAX_SEGMENTS + 1), "over 1000 segments"),
        ("#EXTM3U\n" + "#" * 70_000, "over 65536"),
        ("#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\nа.ts\n", "plain segment name"),  # Cyrillic
    ],
)
def test_a_hostile_playlist_is_refused_with_its_line(text: str, reason: str) -> None:
    """Anything but plain local segment names with sane durations is refused, located."""
    with pytest.raises(PlaylistError, match=re.escape(reason)):
        parse_vod(text)


def test_the_window_names_the_last_complete_segments_with_their_program_dates() -> None:
    """At 1000.5 s since the epoch, segment 499 (998-1000 s) is the newest complete one; the
    window names it and the five before, each dated with its start, no #EXT-X-ENDLIST."""
    text = live_playlist(CLIP, 1000.5)
    assert tags(text, "EXT-X-MEDIA-SEQUENCE") == ["494"]
    assert "#EXT-X-ENDLIST" not in text
    assert tags(text, "EXT-X-PROGRAM-DATE-TIME") == [
        f"1970-01-01T00:16:{s:02d}.000Z" for s in range(28, 40, 2)
    ]
    names = [line for line in text.splitlines() if line.endswith(".ts")]
    # 494 mod 3 = 2: the clip's third segment first, then round the loop.
    assert names == ["index2.ts", "index0.ts", "index1.ts", "index2.ts", "index0.ts", "index1.ts"]


def test_each_loop_point_is_a_discontinuity_counted_when_it_leaves_the_window() -> None:
    """The clip's timestamps start over at each loop: a discontinuity before every first
    segment but the window's first, and the sequence counts the loops before the window."""
    text = live_playlist(CLIP, 1000.5)
    lines = text.splitlines()
    marks = [i for i, line in enumerate(lines) if line == "#EXT-X-DISCONTINUITY"]
    assert [lines[i + 3] for i in marks] == ["index0.ts", "index0.ts"]
    assert tags(text, "EXT-X-DISCONTINUITY-SEQUENCE") == [str(494 // 3)]
    later = live_playlist(CLIP, 1002.0)  # 495, a first segment, now heads the window: no mark
    assert tags(later, "EXT-X-MEDIA-SEQUENCE") == ["495"]
    assert later.splitlines()[5] != "#EXT-X-DISCONTINUITY"
    assert tags(later, "EXT-X-DISCONTINUITY-SEQUENCE") == ["165"]


def test_every_viewer_gets_the_same_playlist_until_the_next_segment_is_complete() -> None:
    """The playlist depends on the instant only: it changes when a segment completes."""
    assert live_playlist(CLIP, 1000.0) == live_playlist(CLIP, 1001.999)
    assert live_playlist(CLIP, 1002.0) != live_playlist(CLIP, 1001.999)


def test_undated_streams_and_the_first_seconds() -> None:
    """Without dates (a live stream's fallback case), and before a whole window has played."""
    assert "PROGRAM-DATE-TIME" not in live_playlist(CLIP, 1000.5, dated=False)
    early = live_playlist(CLIP, 4.5)
    assert tags(early, "EXT-X-MEDIA-SEQUENCE") == ["0"]
    assert len(tags(early, "EXT-X-PROGRAM-DATE-TIME")) == 2
    assert tags(live_playlist(CLIP, -5), "EXT-X-PROGRAM-DATE-TIME") == []


def test_the_timeline_starts_at_its_origin() -> None:
    """From a stream started at 1000 s, at 1010.5 s: segments 0-4 (1000-1010 s), loop
    points counted from the start, dated in real time."""
    text = live_playlist(CLIP, 1010.5, origin_s=1000)
    assert tags(text, "EXT-X-MEDIA-SEQUENCE") == ["0"]
    assert tags(text, "EXT-X-DISCONTINUITY-SEQUENCE") == ["0"]
    assert text.count("#EXT-X-DISCONTINUITY\n") == 1
    assert tags(text, "EXT-X-PROGRAM-DATE-TIME")[-1] == "1970-01-01T00:16:48.000Z"
    assert live_playlist(CLIP, 1010.5, origin_s=1000) == live_playlist(CLIP, 1011, origin_s=1000)


def test_uneven_segments_are_dated_to_the_millisecond() -> None:
    """A clip of 2.5 s and 1.25 s segments: each start is the sum of those before it."""
    clip = Vod(3, (("a.ts", 2.5), ("b.ts", 1.25)))
    dates = tags(live_playlist(clip, 3.75 * 10 + 0.1, window=3), "EXT-X-PROGRAM-DATE-TIME")
    assert dates == [f"1970-01-01T00:00:{s}Z" for s in ("32.500", "33.750", "36.250")]


def test_the_media_server_serves_a_clip_live_and_nothing_else(tmp_path: Path) -> None:
    """GET /live/<clip>/index.m3u8 is the live window (CORS open, not cached), its segments are
    the clip's files; other names, traversal and clips that are not there are 404."""
    clip = tmp_path / "cam"
    clip.mkdir()
    (clip / "index.m3u8").write_text(VOD, "utf-8")
    for name in ("index0.ts", "index1.ts", "index2.ts"):
        (clip / name).write_bytes(b"G" * 188)
    (tmp_path / "secret.ts").write_bytes(b"no")
    server = WhepServer([], set(), tmp_path)
    server.origin -= 100  # the stream has run for 100 s

    async def fetch(path: str) -> tuple[int, str, dict[str, str]]:
        async with TestClient(TestServer(server.app())) as client:
            response = await client.get(path)
            return response.status, await response.text(), dict(response.headers)

    status, text, headers = run_async(fetch("/live/cam/index.m3u8"))
    assert status == 200
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Cache-Control"] == "no-cache"
    assert tags(text, "EXT-X-MEDIA-SEQUENCE") == ["44"]  # segments 44-49 complete at 100 s
    assert len(tags(text, "EXT-X-PROGRAM-DATE-TIME")) == 6
    assert "PROGRAM-DATE-TIME" not in run_async(fetch("/live/cam/index.m3u8?dated=0"))[1]
    assert run_async(fetch("/live/cam/index1.ts"))[:2] == (200, "G" * 188)
    for path in (
        "/live/cam/secret.ts",
        "/live/cam/..%2F..%2Fsecret.ts",
        "/live/nope/index.m3u8",
        "/live/..%2Fcam/index.m3u8",
        "/live/CAM/index.m3u8",
    ):
        assert run_async(fetch(path))[0] == 404, path
