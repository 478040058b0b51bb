"""A small media server for the demo and the tests: live bridge points with no internet.

Each site is a generated picture (ffmpeg's `testsrc2`, through PyAV, with a hue of its own and a
running counter, so motion is obvious) and, for sites that `speak`, a tone that comes and goes,
so the wall's "speaking" highlight has something to follow. Viewers connect with WHEP (RFC 9725):
`POST /<site>/whep` with an SDP offer, `201 Created` with the answer and a `Location` to `DELETE`.

The same pictures are also served as MJPEG (`GET /<site>/mjpeg`), as many IP cameras do.

With `--hls DIR`, each VOD clip `DIR/<clip>/index.m3u8` is also a live HLS camera
(`GET /live/<clip>/index.m3u8`, opswall.demo.live_hls): a sliding window looping the clip's
segments in real time, with program dates (`?dated=0`: without).

A site can be stopped and started (`POST /_admin/<site>/stop|start`): stopping drops its viewers
and refuses new ones with 503, which is what a bridge point losing its link looks like to a wall.
"""

from __future__ import annotations

import argparse
import asyncio
import fractions
import logging
import math
import re
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import av
import numpy as np
from aiohttp import web
from aiortc import MediaStreamTrack, RTCPeerConnection, RTCSessionDescription
from aiortc.contrib.media import MediaRelay
from aiortc.mediastreams import AUDIO_PTIME, VideoStreamTrack

from opswall.demo import capture_time
from opswall.demo.clips import JpegEncoder, test_pictures, with_counter
from opswall.demo.live_hls import PlaylistError, Vod, live_playlist, parse_vod

log = logging.getLogger("opswall.demo.whep")

WIDTH, HEIGHT, FPS = 480, 270, 15
SAMPLE_RATE = 48000
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "POST, DELETE, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Authorization",
    "Access-Control-Expose-Headers": "Location",
}
CLIP_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


class PictureTrack(VideoStreamTrack):
    def __init__(self, hue: int) -> None:
        super().__init__()
        self._frames = test_pictures(hue, (WIDTH, HEIGHT), FPS)
        self._sent = 0

    async def recv(self) -> av.VideoFrame:
        # Numbered in the picture: every viewer of a site gets the same frames (one track through
        # the relay), so a frame's number says which frame each slice of a span shows.
        pts, time_base = await self.next_timestamp()
        frame = with_counter(next(self._frames), self._sent).reformat(format="yuv420p")
        self._sent += 1
        frame.pts, frame.time_base = pts, time_base
        return frame

    def captured_at(self, timestamp: int) -> float | None:
        """When the frame of this timestamp (90 kHz, from the track's first) was made (s)."""
        start = getattr(self, "_start", None)  # VideoStreamTrack's wall-clock origin
        return None if start is None else start + timestamp / capture_time.VIDEO_CLOCK


class ToneTrack(MediaStreamTrack):
    """A 440 Hz tone, on for 3 s and off for 3 s when `speaks`, else silence."""

    kind = "audio"

    def __init__(self, speaks: bool) -> None:
        super().__init__()
        self.speaks = speaks
        self._start: float | None = None
        self._pts = 0

    async def recv(self) -> av.AudioFrame:
        loop = asyncio.get_running_loop()
        samples = int(AUDIO_PTIME * SAMPLE_RATE)
        if self._start is None:
            self._start = loop.time()
        else:
            self._pts += samples
            wait = self._start + self._pts / SAMPLE_RATE - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
        seconds = self._pts / SAMPLE_RATE
        on = self.speaks and int(seconds // 3) % 2 == 0
        t = (self._pts + np.arange(samples)) / SAMPLE_RATE
        wave = (np.sin(2 * math.pi * 440 * t) * (8000 if on else 0)).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(wave.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        frame.pts = self._pts
        frame.time_base = fractions.Fraction(1, SAMPLE_RATE)
        return frame


@dataclass
class Site:
    id: str
    hue: int
    speaks: bool
    running: bool = True
    sessions: dict[str, RTCPeerConnection] = field(default_factory=dict)
    _video: PictureTrack | None = None
    _audio: ToneTrack | None = None

    def tracks(self) -> tuple[PictureTrack, ToneTrack]:
        # One generator per site, shared by all its viewers through the relay.
        if self._video is None or self._video.readyState == "ended":
            self._video = PictureTrack(self.hue)
        if self._audio is None or self._audio.readyState == "ended":
            self._audio = ToneTrack(self.speaks)
        return self._video, self._audio


class WhepServer:
    def __init__(self, sites: list[str], speaking: set[str], hls: Path | None = None) -> None:
        step = 360 // max(1, len(sites))
        self.sites = {s: Site(s, i * step, s in speaking) for i, s in enumerate(sites)}
        self.relay = MediaRelay()
        self.hls = hls
        self.clips: dict[str, Vod] = {}
        self.origin = float(int(time.time()))  # the live streams' timeline starts now
        capture_time.install()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("OPTIONS", "/{site}/whep", self.preflight)
        app.router.add_route("OPTIONS", "/{site}/whep/{session}", self.preflight)
        app.router.add_post("/{site}/whep", self.offer)
        app.router.add_delete("/{site}/whep/{session}", self.hang_up)
        app.router.add_get("/{site}/mjpeg", self.mjpeg)
        app.router.add_get("/live/{clip}/index.m3u8", self.live_playlist)
        app.router.add_get("/live/{clip}/{segment}", self.live_segment)
        app.router.add_post("/_admin/{site}/{command}", self.admin)
        app.router.add_get("/healthz", self.health)
        app.on_shutdown.append(self._close_all)
        return app

    async def preflight(self, request: web.Request) -> web.Response:
        return web.Response(status=204, headers=CORS)

    async def health(self, request: web.Request) -> web.Response:
        body = {
            s.id: {"running": s.running, "viewers": len(s.sessions)} for s in self.sites.values()
        }
        return web.json_response(body, headers=CORS)

    def _playable(self, request: web.Request) -> Site | web.Response:
        """The site asked for, or the answer for one that does not exist or is stopped."""
        site = self.sites.get(request.match_info["site"])
        if site is None:
            return web.Response(status=404, text="no such site", headers=CORS)
        if not site.running:
            return web.Response(status=503, text="site offline", headers=CORS)
        return site

    async def offer(self, request: web.Request) -> web.Response:
        site = self._playable(request)
        if isinstance(site, web.Response):
            return site
        if request.content_type != "application/sdp":
            return web.Response(status=415, text="send application/sdp", headers=CORS)
        pc = RTCPeerConnection()
        session = uuid.uuid4().hex
        site.sessions[session] = pc
        video, audio = site.tracks()
        capture_time.follow(pc.addTrack(self.relay.subscribe(video)), video)
        pc.addTrack(self.relay.subscribe(audio))

        @pc.on("connectionstatechange")
        async def _state() -> None:
            if pc.connectionState in ("failed", "closed"):
                await self._drop(site, session)

        await pc.setRemoteDescription(RTCSessionDescription(await request.text(), "offer"))
        await pc.setLocalDescription(await pc.createAnswer())
        headers = {**CORS, "Location": f"/{site.id}/whep/{session}"}
        return web.Response(
            status=201,
            text=pc.localDescription.sdp,
            content_type="application/sdp",
            headers=headers,
        )

    async def mjpeg(self, request: web.Request) -> web.StreamResponse:
        site = self._playable(request)
        if isinstance(site, web.Response):
            return site
        boundary = "opswallframe"
        response = web.StreamResponse(
            headers={**CORS, "Content-Type": f"multipart/x-mixed-replace; boundary={boundary}"}
        )
        await response.prepare(request)
        pictures, encoder = (
            test_pictures(site.hue, (WIDTH, HEIGHT), FPS),
            JpegEncoder((WIDTH, HEIGHT)),
        )
        loop = asyncio.get_running_loop()
        start = loop.time()
        sent = 0
        try:
            while site.running:  # stopping the site ends the stream, as a camera losing power would
                jpeg = encoder.encode(next(pictures))
                head = f"--{boundary}\r\nContent-Type: image/jpeg\r\n"
                head += f"Content-Length: {len(jpeg)}\r\n\r\n"
                await response.write(head.encode() + jpeg + b"\r\n")
                sent += 1
                await asyncio.sleep(max(0.0, start + sent / FPS - loop.time()))
        except ConnectionError:
            pass  # the viewer went away
        return response

    def _clip(self, request: web.Request) -> Vod | None:
        """The VOD clip a live path names, read once; None: no such clip."""
        name = request.match_info["clip"]
        if self.hls is None or not CLIP_NAME.fullmatch(name):
            return None
        if name not in self.clips:
            try:
                text = (self.hls / name / "index.m3u8").read_text("utf-8")
                self.clips[name] = parse_vod(text)
            except (OSError, UnicodeDecodeError, PlaylistError) as err:
                log.warning("live HLS %s: %s", name, err)
                return None
        return self.clips[name]

    async def live_playlist(self, request: web.Request) -> web.Response:
        clip = self._clip(request)
        if clip is None:
            return web.Response(status=404, text="no such clip", headers=CORS)
        dated = request.query.get("dated") != "0"
        headers = {**CORS, "Cache-Control": "no-cache"}
        text = live_playlist(clip, time.time(), self.origin, dated=dated)
        kind = "application/vnd.apple.mpegurl"
        return web.Response(text=text, content_type=kind, headers=headers)

    async def live_segment(self, request: web.Request) -> web.StreamResponse:
        clip, segment = self._clip(request), request.match_info["segment"]
        if clip is None or segment not in {name for name, _ in clip.segments}:
            return web.Response(status=404, text="no such segment", headers=CORS)
        assert self.hls is not None
        path = self.hls / request.match_info["clip"] / segment
        return web.FileResponse(path, headers={**CORS, "Content-Type": "video/mp2t"})

    async def hang_up(self, request: web.Request) -> web.Response:
        site = self.sites.get(request.match_info["site"])
        if site is None or request.match_info["session"] not in site.sessions:
            return web.Response(status=404, headers=CORS)
        await self._drop(site, request.match_info["session"])
        return web.Response(status=200, headers=CORS)

    async def admin(self, request: web.Request) -> web.Response:
        site = self.sites.get(request.match_info["site"])
        command = request.match_info["command"]
        if site is None or command not in ("stop", "start"):
            return web.Response(status=404)
        site.running = command == "start"
        if not site.running:
            for session in list(site.sessions):
                await self._drop(site, session)
        return web.json_response({"site": site.id, "running": site.running})

    async def _drop(self, site: Site, session: str) -> None:
        pc = site.sessions.pop(session, None)
        if pc is not None:
            await pc.close()

    async def _close_all(self, app: Any) -> None:
        for site in self.sites.values():
            for session in list(site.sessions):
                await self._drop(site, session)


def serve(
    host: str, port: int, sites: list[str], speaking: set[str], hls: Path | None = None
) -> None:
    server = WhepServer(sites, speaking, hls)
    log.info("WHEP demo source on http://%s:%d/<site>/whep for %s", host, port, ", ".join(sites))
    web.run_app(server.app(), host=host, port=port, print=None, access_log=None)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8889)
    parser.add_argument("--sites", default="hanoi,hue,danang,hcmc,cantho,camera")
    parser.add_argument("--speaking", default="", help="sites that send a tone that comes and goes")
    parser.add_argument("--hls", type=Path, help="a directory of VOD clips to serve as live HLS")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    sites = [s for s in args.sites.split(",") if s]
    serve(args.host, args.port, sites, {s for s in args.speaking.split(",") if s}, args.hls)


if __name__ == "__main__":
    main()
