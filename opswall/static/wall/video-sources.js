/* Where a video pane's pictures come from: one opener per source kind (whep: WebRTC playback,
 * RFC 9725; hls: hls.js, bundled, loaded on first use; file; mjpeg: multipart JPEG over fetch;
 * iframe: a web conference room). Each returns { close(), probe() -> Promise<{ frames, level }> }:
 * `frames` is any count that moves while pictures arrive, `level` the audio level (0..1). */

import { LIVE_DELAY_SEGMENTS } from "../lib/media-sync.js";

var HLS_SCRIPT = "/assets/vendor/hls.light.min.js";

var hlsLoading = null;
function noop() {}

function loadHls() {
  if (window.Hls) return Promise.resolve(window.Hls);
  if (!hlsLoading) {
    hlsLoading = new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = HLS_SCRIPT;
      script.onload = function () { resolve(window.Hls); };
      script.onerror = function () { hlsLoading = null; reject(new Error("hls.js did not load")); };
      document.head.appendChild(script);
    });
  }
  return hlsLoading;
}

function videoElement(pane) {
  var video = document.createElement("video");
  video.muted = true; // autoplay is always allowed muted; audio is switched on per site
  video.autoplay = true;
  video.playsInline = true;
  video.controls = false;
  video.disablePictureInPicture = true;
  video.setAttribute("disableremoteplayback", "");
  video.setAttribute("aria-label", pane.source.name);
  pane.media.replaceChildren(video);
  pane.video = video;
  pane.applyAudio();
  return video;
}

export function play(pane, video) {
  var started = video.play();
  if (started && started.catch) {
    started.catch(function (err) {
      if (err && err.name === "NotAllowedError" && !video.muted) {
        // The browser refuses sound without a gesture: keep the picture, say so.
        video.muted = true;
        pane.el.dataset.audio = "blocked";
        video.play().catch(noop);
      }
    });
  }
}

export var openers = {
  whep: function (pane, fail) {
    var video = videoElement(pane);
    var pc = new RTCPeerConnection({ iceServers: [] }); // no STUN: no request leaves for it
    var resource = null;
    var stream = new MediaStream();
    askCaptureTimes(pc.addTransceiver("video", { direction: "recvonly" }));
    pc.addTransceiver("audio", { direction: "recvonly" });
    pc.ontrack = function (event) {
      stream.addTrack(event.track);
      video.srcObject = stream;
      play(pane, video);
    };
    pc.onconnectionstatechange = function () {
      if (pc.connectionState === "failed" || pc.connectionState === "closed") {
        fail("WebRTC " + pc.connectionState);
      }
    };
    pc.createOffer()
      .then(function (offer) { return pc.setLocalDescription(offer); })
      .then(function () { return gathered(pc, 2000); })
      .then(function () {
        return fetch(pane.source.url, {
          method: "POST", headers: { "Content-Type": "application/sdp" },
          body: pc.localDescription.sdp, credentials: "omit", cache: "no-store",
        });
      })
      .then(function (response) {
        if (response.status !== 201 && response.status !== 200) throw new Error("WHEP " + response.status);
        var location = response.headers.get("Location");
        if (location) resource = new URL(location, pane.source.url).href;
        return response.text();
      })
      .then(function (sdp) { return pc.setRemoteDescription({ type: "answer", sdp: sdp }); })
      .catch(function (err) { fail(String(err && err.message || err)); });
    // The sender's own audio-level header (RFC 6464), heard within the last second, if any.
    function headerLevel() {
      var heard = [];
      pc.getReceivers().forEach(function (receiver) {
        if (receiver.track && receiver.track.kind === "audio" && receiver.getSynchronizationSources) {
          receiver.getSynchronizationSources().forEach(function (s) {
            if (s.audioLevel !== undefined && Date.now() - s.timestamp < 1000) heard.push(s.audioLevel);
          });
        }
      });
      return heard.length ? Math.max.apply(null, heard) : null;
    }
    return {
      pc: pc, // its receivers' playout delay is held equal across a span's slices (video-sync.js)
      close: function () {
        pc.ontrack = null; pc.onconnectionstatechange = null;
        pc.close();
        if (resource) fetch(resource, { method: "DELETE", credentials: "omit" }).catch(noop);
        video.srcObject = null;
      },
      // One getStats per tick. Decoded frames count even while the pane is not composited
      // (another scene shown); the level is the header's, else the decoder's.
      probe: function () {
        return pc.getStats().then(function (report) {
          var found = { frames: 0, level: headerLevel() }, decoded = 0;
          report.forEach(function (r) {
            if (r.type !== "inbound-rtp") return;
            if (r.kind === "video") found.frames = r.framesDecoded || 0;
            else if (r.kind === "audio" && r.audioLevel !== undefined) decoded = r.audioLevel;
          });
          if (found.level === null) found.level = decoded;
          return found;
        });
      },
    };
  },

  hls: function (pane, fail) {
    var video = videoElement(pane);
    var hls = null, closed = false;
    video.loop = pane.source.loop;
    video.onerror = function () { fail("video error " + (video.error ? video.error.code : "")); };
    video.onended = function () { if (!pane.source.loop) fail("ended"); };
    loadHls().then(function (Hls) {
      if (closed) return;
      if (Hls && Hls.isSupported()) {
        var options = { manifestLoadingMaxRetry: 1, levelLoadingMaxRetry: 2, fragLoadingMaxRetry: 2,
                        lowLatencyMode: true, backBufferLength: 30 };
        // On a span a live stream starts where video-sync.js will hold it, not a segment off.
        if (pane.ctx.inStep && pane.ctx.inStep()) options.liveSyncDurationCount = LIVE_DELAY_SEGMENTS;
        hls = new Hls(options);
        hls.on(Hls.Events.ERROR, function (event, data) { if (data.fatal) fail("HLS " + data.details); });
        hls.loadSource(pane.source.url);
        hls.attachMedia(video);
      } else if (video.canPlayType("application/vnd.apple.mpegurl")) {
        video.src = pane.source.url;
      } else {
        fail("HLS not supported");
        return;
      }
      play(pane, video);
    }).catch(function (err) { fail(err.message); });
    var session = mediaSession(video, function () { closed = true; if (hls) hls.destroy(); });
    session.player = function () { return hls; }; // read by the tests
    // A live playlist's program time at the picture shown (its #EXT-X-PROGRAM-DATE-TIME, null
    // if undated) and its target duration; null for a clip (a VOD playlist) or before it loads.
    session.live = function () {
      var details = hls && hls.latestLevelDetails;
      if (!details || !details.live) return null;
      var date = hls.playingDate;
      return { programMs: date ? date.getTime() : null, targetDurationS: details.targetduration };
    };
    return session;
  },

  file: function (pane, fail) {
    var video = videoElement(pane);
    video.loop = pane.source.loop;
    video.onerror = function () { fail("video error " + (video.error ? video.error.code : "")); };
    video.onended = function () { if (!pane.source.loop) fail("ended"); };
    video.src = pane.source.url;
    play(pane, video);
    return mediaSession(video, noop);
  },

  mjpeg: function (pane, fail) {
    var img = document.createElement("img");
    img.alt = pane.source.name;
    pane.media.replaceChildren(img);
    var abort = new AbortController();
    var count = 0, shown = null;
    fetch(pane.source.url, { signal: abort.signal, cache: "no-store", credentials: "omit" })
      .then(function (response) {
        if (!response.ok || !response.body) throw new Error("MJPEG " + response.status);
        return readJpegs(response.body.getReader(), function (jpeg) {
          var url = URL.createObjectURL(new Blob([jpeg], { type: "image/jpeg" }));
          img.onload = function () { if (shown) URL.revokeObjectURL(shown); shown = url; count++; };
          img.src = url;
        });
      })
      .then(function () { fail("stream ended"); })
      .catch(function (err) { if (!abort.signal.aborted) fail(String(err && err.message || err)); });
    return {
      close: function () { abort.abort(); if (shown) URL.revokeObjectURL(shown); },
      probe: function () { return Promise.resolve({ frames: count, level: 0 }); },
    };
  },

  iframe: function (pane) {
    var frame = document.createElement("iframe");
    var loaded = 0;
    frame.allow = "autoplay; camera; microphone; fullscreen; display-capture";
    frame.title = pane.source.name;
    frame.onload = function () { loaded = 1; };
    frame.src = pane.source.url;
    pane.media.replaceChildren(frame);
    // A framed room cannot be watched from outside: once loaded it counts as live.
    return {
      close: function () { frame.src = "about:blank"; },
      probe: function () { return Promise.resolve({ frames: loaded ? Date.now() : 0, level: 0 }); },
    };
  },
};

function mediaSession(video, destroy) {
  return {
    close: function () {
      video.onerror = null; video.onended = null;
      destroy();
      video.removeAttribute("src");
      try { video.load(); } catch { /* already released */ }
    },
    // Playback position moves only while pictures arrive (a loop restarting counts too).
    probe: function () {
      return Promise.resolve({ frames: video.readyState >= 2 ? video.currentTime : -1, level: 0 });
    },
  };
}

// The sender's capture time on each frame (abs-capture-time), when the sender offers it: what
// keeps a live picture in step across a span (video-sync.js). Chromium lists it, stopped.
var ABS_CAPTURE_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time";
function askCaptureTimes(transceiver) {
  if (!transceiver.setHeaderExtensionsToNegotiate) return;
  try {
    transceiver.setHeaderExtensionsToNegotiate(transceiver.getHeaderExtensionsToNegotiate().map(function (e) {
      return e.uri === ABS_CAPTURE_TIME && e.direction === "stopped" ? Object.assign({}, e, { direction: "recvonly" }) : e;
    }));
  } catch { /* an older browser: the picture plays, not in step */ }
}

function gathered(pc, timeoutMs) {
  if (pc.iceGatheringState === "complete") return Promise.resolve();
  return new Promise(function (resolve) {
    var timer = setTimeout(resolve, timeoutMs);
    pc.addEventListener("icegatheringstatechange", function () {
      if (pc.iceGatheringState === "complete") { clearTimeout(timer); resolve(); }
    });
  });
}

// JPEG pictures out of a multipart stream: from each start-of-image to its end-of-image marker.
function readJpegs(reader, onJpeg) {
  var buffer = new Uint8Array(0);
  function append(chunk) {
    var joined = new Uint8Array(buffer.length + chunk.length);
    joined.set(buffer); joined.set(chunk, buffer.length);
    buffer = joined;
  }
  function extract() {
    for (;;) {
      var start = -1, end = -1, i;
      for (i = 0; i + 1 < buffer.length; i++) { if (buffer[i] === 0xff && buffer[i + 1] === 0xd8) { start = i; break; } }
      if (start < 0) { buffer = buffer.slice(Math.max(0, buffer.length - 1)); return; }
      for (i = start + 2; i + 1 < buffer.length; i++) { if (buffer[i] === 0xff && buffer[i + 1] === 0xd9) { end = i + 2; break; } }
      if (end < 0) { buffer = buffer.slice(start); return; }
      onJpeg(buffer.slice(start, end));
      buffer = buffer.slice(end);
    }
  }
  function pump() {
    return reader.read().then(function (step) {
      if (step.done) return undefined;
      append(step.value);
      extract();
      return pump();
    });
  }
  return pump();
}
