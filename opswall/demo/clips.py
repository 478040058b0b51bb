"""Generated video for the demo and the tests, so panes move with no camera and no internet.

Pictures come from ffmpeg's `testsrc2` (a moving pattern with a running counter) through PyAV,
whose wheels carry ffmpeg with libx264: no system ffmpeg is needed.
"""

from __future__ import annotations

import fractions
from collections.abc import Iterator
from pathlib import Path

import av

WIDTH, HEIGHT, FPS = 640, 360, 15


def test_pictures(
    hue: int = 0, size: tuple[int, int] = (WIDTH, HEIGHT), fps: int = FPS
) -> Iterator[av.VideoFrame]:
    """An endless moving picture, tinted by `hue` (degrees) so sources tell apart."""
    graph = f"testsrc2=size={size[0]}x{size[1]}:rate={fps},hue=h={hue}"
    while True:
        with av.open(graph, format="lavfi") as container:
            yield from container.decode(video=0)


def write_hls(
    directory: Path,
    seconds: int = 12,
    hue: int = 200,
    segment: int = 2,
    size: tuple[int, int] = (WIDTH, HEIGHT),
) -> Path:
    """An H.264 HLS clip (VOD playlist, `segment`-second MPEG-TS segments); returns the playlist."""
    directory.mkdir(parents=True, exist_ok=True)
    playlist = directory / "index.m3u8"
    options = {"hls_time": str(segment), "hls_list_size": "0", "hls_playlist_type": "vod"}
    with av.open(str(playlist), "w", format="hls", options=options) as out:
        _encode(out, seconds, hue, size)
    return playlist


def write_mp4(path: Path, seconds: int = 8, hue: int = 90) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), "w", format="mp4", options={"movflags": "+faststart"}) as out:
        _encode(out, seconds, hue)
    return path


def _encode(
    out: av.container.OutputContainer,
    seconds: int,
    hue: int,
    size: tuple[int, int] = (WIDTH, HEIGHT),
) -> None:
    stream = out.add_stream(
        "libx264",
        rate=FPS,
        options={"preset": "veryfast", "profile": "baseline", "g": str(FPS * 2)},
    )
    stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
    pictures = test_pictures(hue, size)
    for _ in range(seconds * FPS):
        frame = next(pictures).reformat(format="yuv420p")
        frame.pts = None
        for packet in stream.encode(frame):
            out.mux(packet)
    for packet in stream.encode():
        out.mux(packet)


class JpegEncoder:
    """Pictures as JPEG bytes, for an MJPEG stream."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.codec = av.CodecContext.create("mjpeg", "w")
        self.codec.width, self.codec.height = size
        self.codec.pix_fmt = "yuvj420p"
        self.codec.time_base = fractions.Fraction(1, FPS)

    def encode(self, frame: av.VideoFrame) -> bytes:
        packets = self.codec.encode(frame.reformat(format="yuvj420p"))
        return b"".join(bytes(p) for p in packets)
