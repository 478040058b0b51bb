"""Generated video for the demo and the tests, so panes move with no camera and no internet.

Pictures come from ffmpeg's `testsrc2` (a moving pattern with a running counter) through PyAV,
whose wheels carry ffmpeg with libx264: no system ffmpeg is needed.
"""

from __future__ import annotations

import fractions
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

WIDTH, HEIGHT, FPS = 640, 360, 15
# A frame's number, written into its bottom-left corner as a strip of COUNTER_BITS square blocks
# of COUNTER_BLOCK pixels (white: 1, black: 0, most significant first), so a test can tell which
# frame a page shows without trusting the player's own timestamps (issue 23). Blocks this big
# survive a video encoder's compression.
COUNTER_BITS, COUNTER_BLOCK = 16, 12


def test_pictures(
    hue: int = 0, size: tuple[int, int] = (WIDTH, HEIGHT), fps: int = FPS
) -> Iterator[av.VideoFrame]:
    """An endless moving picture, tinted by `hue` (degrees) so sources tell apart."""
    graph = f"testsrc2=size={size[0]}x{size[1]}:rate={fps},hue=h={hue}"
    while True:
        with av.open(graph, format="lavfi") as container:
            yield from container.decode(video=0)


def with_counter(frame: av.VideoFrame, number: int) -> av.VideoFrame:
    """`frame` with `number` (mod 2**COUNTER_BITS) written in its bottom-left corner."""
    rgb = frame.to_ndarray(format="rgb24")
    top = rgb.shape[0] - COUNTER_BLOCK
    for bit in range(COUNTER_BITS):
        on = (number >> (COUNTER_BITS - 1 - bit)) & 1
        left = bit * COUNTER_BLOCK
        rgb[top:, left : left + COUNTER_BLOCK] = 255 if on else 0
    marked = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb, dtype=np.uint8), format="rgb24")
    marked.pts, marked.time_base = frame.pts, frame.time_base
    return marked


def read_counter(rgb: np.ndarray) -> int:
    """The number `with_counter` wrote, read back from the blocks' centres."""
    middle = rgb.shape[0] - COUNTER_BLOCK // 2
    number = 0
    for bit in range(COUNTER_BITS):
        centre = rgb[middle, bit * COUNTER_BLOCK + COUNTER_BLOCK // 2]
        number = number << 1 | int(centre.mean() > 127)
    return number


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
