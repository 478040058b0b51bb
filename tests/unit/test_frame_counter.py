"""The demo pictures' frame counter (issue 23): a number written into a frame's corner is read
back, also after a lossy encoder, so a browser test can tell which frame a page shows."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from opswall.demo import clips
from opswall.demo.clips import COUNTER_BITS, JpegEncoder, read_counter, with_counter


@pytest.mark.parametrize("number", [0, 1, 0x5A5A, 2**COUNTER_BITS - 1])
def test_a_number_written_into_a_frame_is_read_back_after_jpeg(number: int) -> None:
    """Written, JPEG-encoded (as the MJPEG stream does) and decoded, the number is the same."""
    frame = with_counter(next(clips.test_pictures(40, (480, 270), 15)), number)
    raw = frame.to_ndarray(format="rgb24")
    assert read_counter(raw) == number
    jpeg = JpegEncoder((480, 270)).encode(frame)
    assert read_counter(np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"))) == number


def test_the_counter_keeps_the_frame_and_its_timing() -> None:
    """Only the corner strip changes; the frame keeps its size and timestamp."""
    frame = next(clips.test_pictures(40, (480, 270), 15))
    frame.pts = 7
    marked = with_counter(frame, 3)
    assert (marked.width, marked.height, marked.pts) == (480, 270, 7)
    before, after = frame.to_ndarray(format="rgb24"), marked.to_ndarray(format="rgb24")
    assert (before[:-12] == after[:-12]).all()
    assert not (before[-12:] == after[-12:]).all()
