/* opswall video panes: play a source with nobody at the wall.
 *
 * A pane starts by itself (muted, autoplay, no controls), counts frames, and on an error or a
 * stall (no new frame for `stall_ms`) shows the no-signal slate with the site and the time of its
 * last picture, then retries with backoff and jitter, forever. It never shows a browser error or a
 * play button. Its state is on the pane element: data-video-state = connecting | live | no-signal.
 *
 * Source kinds: whep (WebRTC playback, RFC 9725), hls (hls.js, bundled, loaded on first use),
 * file, mjpeg (multipart JPEG over fetch) and iframe (a web conference room).
 */
import { backoff } from "../lib/backoff.js";
import { state } from "./state.js";

var RETRY = { minMs: 1000, maxMs: 30000, spread: [0.75, 1.25] };
var CONNECT_TIMEOUT_MS = 15000;
var RESET_AFTER_LIVE_MS = 10000; // a pane live this long starts its backoff afresh
var TICK_MS = 500;
var SPEAKING_LEVEL = 0.02; // WebRTC audioLevel (0..1) above which a site is speaking
var REPORT_EVERY_MS = 30000;
var HLS_SCRIPT = "/assets/vendor/hls.light.min.js";

var panes = [];
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

function play(pane, video) {
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

// Each opener returns { close(), probe() -> Promise<{ frames, level }> }: `frames` is any count
// that moves while pictures arrive, `level` the audio level (0..1) where a source has one.
var openers = {
  whep: function (pane, fail) {
    var video = videoElement(pane);
    var pc = new RTCPeerConnection({ iceServers: [] }); // no STUN: no request leaves for it
    var resource = null;
    var stream = new MediaStream();
    pc.addTransceiver("video", { direction: "recvonly" });
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
        hls = new Hls({ manifestLoadingMaxRetry: 1, levelLoadingMaxRetry: 2, fragLoadingMaxRetry: 2,
                        lowLatencyMode: true, backBufferLength: 30 });
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
    return mediaSession(video, function () { closed = true; if (hls) hls.destroy(); });
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

// -- the pane ------------------------------------------------------------------------------
export function Pane(el, source, ctx, owner) {
  this.el = el;
  this.ctx = ctx;
  this.owner = owner; // { tile }: named in the report to the operators' health page
  this.media = el.querySelector("[data-role=media]");
  this.slate = el.querySelector("[data-role=slate]");
  this.badge = el.querySelector("[data-role=badge]");
  this.seen = el.querySelector("[data-role=seen]");
  this.audioIcon = el.querySelector("[data-role=audio]");
  this.source = source;
  this.session = null;
  this.generation = 0;
  this.running = false;
  this.state = "connecting";
  this.attempt = 0;
  this.retryTimer = null;
  this.lastFrames = null;
  this.lastProgressAt = 0;
  this.lastLiveAt = null;
  this.liveSince = 0;
  this.startedAt = 0;
  this.reason = "";
  this.audible = false;
  this.speaking = false;
  this.probing = false;
  this.reportedAt = 0;
  panes.push(this);
}

Pane.prototype.start = function () {
  if (this.running) return;
  this.running = true;
  this.attempt = 0;
  this.connect();
};

// Not shown (another scene holds the screen): hang up, so nothing plays unseen.
Pane.prototype.stop = function () {
  this.running = false;
  clearTimeout(this.retryTimer);
  this.teardown();
  this.setState("connecting", "");
};

Pane.prototype.destroy = function () {
  this.stop();
  panes = panes.filter(function (p) { return p !== this; }, this);
};

// Show another site in this pane (a pane following the drilled province).
Pane.prototype.play = function (source) {
  if (source.site === this.source.site && source.url === this.source.url) return;
  this.source = source;
  this.el.dataset.site = source.site;
  this.el.dataset.kind = source.kind;
  var name = this.el.querySelector("[data-role=name]");
  if (name) name.textContent = source.name;
  var slateSite = this.el.querySelector("[data-role=slate-site]");
  if (slateSite) slateSite.textContent = source.name;
  this.lastLiveAt = null;
  this.attempt = 0;
  if (this.running) this.connect();
};

Pane.prototype.connect = function () {
  clearTimeout(this.retryTimer);
  this.teardown();
  this.setState("connecting", "");
  this.startedAt = Date.now();
  this.lastFrames = null;
  var opener = openers[this.source.kind];
  if (!this.source.url || !opener) {
    this.fail(this.source.problem || "no source");
    return;
  }
  var generation = ++this.generation;
  var self = this;
  try {
    this.session = opener(this, function (reason) {
      if (generation === self.generation) self.fail(reason);
    });
  } catch (err) {
    this.fail(String(err && err.message || err));
  }
};

Pane.prototype.teardown = function () {
  this.generation++;
  var session = this.session;
  this.session = null;
  this.video = null;
  if (session) { try { session.close(); } catch { /* gone already */ } }
  this.setSpeaking(false);
};

Pane.prototype.fail = function (reason) {
  if (!this.running) return;
  this.teardown();
  this.media.replaceChildren();
  this.setState("no-signal", reason);
  var self = this;
  this.retryTimer = setTimeout(function () { if (self.running) self.connect(); },
                               backoff(this.attempt++, RETRY));
};

Pane.prototype.setState = function (state, reason) {
  this.reason = reason || "";
  if (state === this.state) return;
  this.state = state;
  this.el.dataset.videoState = state;
  this.el.dataset.reason = this.reason;
  this.slate.hidden = state !== "no-signal";
  this.badge.textContent = this.ctx.msg(state === "live" ? "video_live"
    : state === "no-signal" ? "video_no_signal" : "video_connecting");
  if (state === "live") this.liveSince = Date.now();
  this.showSeen();
  report(this);
};

Pane.prototype.showSeen = function () {
  if (!this.seen) return;
  this.seen.textContent = this.lastLiveAt
    ? this.ctx.msg("video_last_seen") + " " + this.ctx.time(this.lastLiveAt)
    : this.ctx.msg("video_never");
  this.el.dataset.lastSeen = this.lastLiveAt ? String(this.lastLiveAt) : "";
};

Pane.prototype.progressed = function (now) {
  this.lastProgressAt = now;
  this.lastLiveAt = now;
  if (this.state !== "live") this.setState("live", "");
};

Pane.prototype.setAudible = function (audible) {
  this.audible = !!audible;
  this.applyAudio();
};

Pane.prototype.applyAudio = function () {
  this.el.classList.toggle("is-audible", this.audible);
  if (this.audioIcon) this.audioIcon.hidden = !this.audible;
  if (this.video && this.video.muted === this.audible) {
    this.video.muted = !this.audible;
    delete this.el.dataset.audio;
    if (this.audible) play(this, this.video);
  }
};

Pane.prototype.setSpeaking = function (speaking) {
  if (speaking === this.speaking) return;
  this.speaking = speaking;
  this.el.classList.toggle("is-speaking", speaking);
  this.el.dataset.speaking = speaking ? "1" : "";
  var badge = this.el.querySelector("[data-role=speaking]");
  if (badge) badge.hidden = !speaking;
  if (this.onSpeaking) this.onSpeaking(this, speaking);
};

Pane.prototype.tick = function (now) {
  if (!this.running || !this.session || this.probing) return;
  var session = this.session, self = this, generation = this.generation;
  this.probing = true;
  session.probe().then(function (found) {
    self.probing = false;
    if (generation !== self.generation) return;
    var frames = found.frames;
    if (frames > 0 && self.lastFrames !== null && frames !== self.lastFrames) self.progressed(now);
    self.lastFrames = frames;
    self.setSpeaking(self.state === "live" && found.level > SPEAKING_LEVEL);
    if (self.state === "connecting" && now - self.startedAt > Math.max(CONNECT_TIMEOUT_MS, self.source.stall_ms)) {
      self.fail("no picture within " + Math.round(CONNECT_TIMEOUT_MS / 1000) + " s");
    } else if (self.state === "live" && now - self.lastProgressAt > self.source.stall_ms) {
      self.fail("stalled: no new frame for " + Math.round(self.source.stall_ms / 1000) + " s");
    }
    if (self.state === "live" && now - self.liveSince > RESET_AFTER_LIVE_MS) self.attempt = 0;
  }, function () { self.probing = false; });
};

// -- reporting pane states to the operators' health page -------------------------------------
function report(pane, periodic) {
  var owner = pane.owner, screen = state.screen;
  if (!owner || !screen) return;
  var now = Date.now();
  if (periodic && now - pane.reportedAt < REPORT_EVERY_MS) return;
  pane.reportedAt = now;
  var body = JSON.stringify({
    tile: owner.tile, site: pane.source.site, state: pane.state, reason: pane.reason,
    last_live: pane.lastLiveAt, running: pane.running,
  });
  fetch("/wall/" + encodeURIComponent(screen) + "/video-state", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: body,
  }).catch(noop);
}

setInterval(function () {
  var now = Date.now();
  panes.forEach(function (pane) {
    pane.tick(now);
    if (pane.state === "no-signal") pane.showSeen();
    if (pane.running) report(pane, true);
  });
}, TICK_MS);

// A debug handle for tests and devtools (docs/tiles.md): tiles import Pane instead.
window.opswallVideo = { panes: function () { return panes.slice(); } };
