"""The demo media server's video carries when each frame was captured (issue 23), in the RTP
header extension `abs-capture-time` (http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time):
the sender's wall clock, as NTP, on every packet. A browser that negotiates it reads it back per
frame (`RTCRtpReceiver.getSynchronizationSources()`: `captureTimestamp` with the `rtpTimestamp`
it belongs to), so slices of a span, each with its own peer connection, share the sender's
timeline. aiortc does not send it: `install()` adds it to this process's aiortc, for video.

Each frame's capture time is its picture's time (the track's start plus its timestamp), not the
time it was encoded: a busy sender encodes each viewer's copy at its own moment.
"""

from __future__ import annotations

import struct
from typing import Any, Protocol

from aiortc import RTCRtpSender
from aiortc.codecs import HEADER_EXTENSIONS
from aiortc.rtcrtpparameters import RTCRtpHeaderExtensionParameters, RTCRtpParameters
from aiortc.rtp import (
    HeaderExtensions,
    HeaderExtensionsMap,
    pack_header_extensions,
    unpack_header_extensions,
)

ABS_CAPTURE_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time"
VIDEO_CLOCK = 90000
NTP_FROM_UNIX = 2208988800  # seconds from 1900 to 1970


class CaptureClock(Protocol):
    def captured_at(self, timestamp: int) -> float | None:
        """Wall-clock time (s) a frame with this RTP-clock timestamp was captured."""


def ntp_bytes(unix_s: float) -> bytes:
    """`unix_s` as a 64-bit NTP timestamp (UQ32.32), the extension's short form."""
    return struct.pack("!Q", int((unix_s + NTP_FROM_UNIX) * (1 << 32)) & (2**64 - 1))


def follow(sender: RTCRtpSender, clock: CaptureClock) -> None:
    """Stamp `sender`'s frames with `clock`'s capture times (when the extension is agreed)."""
    sender._opswall_capture = clock  # type: ignore[attr-defined]


_installed = False


def install() -> None:
    """Add the extension to aiortc's video offer/answer and to its senders (once a process)."""
    global _installed
    if _installed:
        return
    _installed = True
    HEADER_EXTENSIONS["video"].append(RTCRtpHeaderExtensionParameters(id=13, uri=ABS_CAPTURE_TIME))
    configure, pack, next_frame = (
        HeaderExtensionsMap.configure,
        HeaderExtensionsMap.set,
        RTCRtpSender._next_encoded_frame,
    )

    def configure_with(self: Any, parameters: RTCRtpParameters) -> None:
        configure(self, parameters)
        found = [e.id for e in parameters.headerExtensions if e.uri == ABS_CAPTURE_TIME]
        self.opswall_capture_id = found[0] if found else None

    def set_with(self: Any, values: HeaderExtensions) -> tuple[int, bytes]:
        profile, data = pack(self, values)
        ext_id, stamp = (
            getattr(self, "opswall_capture_id", None),
            getattr(self, "opswall_stamp", None),
        )
        if ext_id is None or stamp is None:
            return profile, data
        items = unpack_header_extensions(profile, data) if data else []
        return pack_header_extensions([*items, (ext_id, stamp)])

    async def next_frame_with(self: Any, codec: Any) -> Any:
        frame = await next_frame(self, codec)
        clock = getattr(self, "_opswall_capture", None)
        if frame is not None and clock is not None:
            at = clock.captured_at(frame.timestamp)
            self._RTCRtpSender__rtp_header_extensions_map.opswall_stamp = (
                None if at is None else ntp_bytes(at)
            )
        return frame

    HeaderExtensionsMap.configure = configure_with  # type: ignore[method-assign]
    HeaderExtensionsMap.set = set_with  # type: ignore[method-assign]
    RTCRtpSender._next_encoded_frame = next_frame_with  # type: ignore[method-assign]
