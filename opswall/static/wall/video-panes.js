/* opswall video panes: play a source with nobody at the wall.
 *
 * A pane starts by itself (muted, autoplay, no controls), counts frames, and on an error or a
 * stall (no new frame for `stall_ms`) shows the no-signal slate with the site and the time of its
 * last picture, then retries with backoff and jitter, forever. It never shows a browser error or a
 * play button. Its state is on the pane element: data-video-state = connecting | live | no-signal.
 *
 * Source kinds: whep (WebRTC playback, RFC 9725), hls (hls.js, bundled, loaded on first use),
 * file, mjpeg (multipart JPEG over fetch) and iframe (a web conference room). On a span, a file
 * or HLS clip keeps to the gateway's clock (video-sync.js).
 */
import { backoff } from "../lib/backoff.js";
import { state } from "./state.js";
import { openers, play } from "./video-sources.js";
import { followClock, leaveClock } from "./video-sync.js";

var RETRY = { minMs: 1000, maxMs: 30000, spread: [0.75, 1.25] };
var CONNECT_TIMEOUT_MS = 15000;
var RESET_AFTER_LIVE_MS = 10000; // a pane live this long starts its backoff afresh
var TICK_MS = 500;
var SPEAKING_LEVEL = 0.02; // WebRTC audioLevel (0..1) above which a site is speaking
var REPORT_EVERY_MS = 30000;

var panes = [];

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
  watchPanes();
}

Pane.prototype.start = function () {
  if (this.running) return;
  this.running = true;
  this.attempt = 0;
  this.connect();
  followClock(this); // on a span: in step with the other slices (issue 23)
};

// Not shown (another scene holds the screen): hang up, so nothing plays unseen.
Pane.prototype.stop = function () {
  this.running = false;
  clearTimeout(this.retryTimer);
  leaveClock(this);
  this.teardown();
  this.setState("connecting", "");
};

Pane.prototype.destroy = function () {
  this.stop();
  panes = panes.filter(function (p) { return p !== this; }, this);
  if (!panes.length) { clearInterval(ticking); ticking = null; }
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
  // A framed page (a miniature on /admin/screens, an overview's iframe tile) mirrors a screen
  // whose own page reports: it must not add reports of its own.
  if (!owner || !screen || window.top !== window) return;
  var now = Date.now();
  if (periodic && now - pane.reportedAt < REPORT_EVERY_MS) return;
  pane.reportedAt = now;
  var body = JSON.stringify({
    tile: owner.tile, site: pane.source.site, state: pane.state, reason: pane.reason,
    last_live: pane.lastLiveAt, running: pane.running,
  });
  fetch("/wall/" + encodeURIComponent(screen) + "/video-state", {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: body,
  }).catch(function () { /* the next report says it */ });
}

// Every page imports this module (the video tile does): the tick runs only while a pane exists,
// so a page without video runs nothing for it (issue 22).
var ticking = null;
function watchPanes() {
  if (ticking) return;
  ticking = setInterval(function () {
    var now = Date.now();
    panes.forEach(function (pane) {
      pane.tick(now);
      if (pane.state === "no-signal") pane.showSeen();
      if (pane.running) report(pane, true);
    });
  }, TICK_MS);
}

// A handle for the fleet report (fleet-client.js reads it without loading this module on
// pages with no pane), tests and devtools (docs/tiles.md): tiles import Pane instead.
window.opswallVideo = { panes: function () { return panes.slice(); } };
