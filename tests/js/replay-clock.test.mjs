import { test } from "node:test";
import assert from "node:assert/strict";
import { instantOf, pause, pausedAt, play, replayHref, stampIn } from "../../opswall/static/lib/replay-clock.js";

test("a paused replay stands still; playing at 60x moves 60 s per second of wall time", () => {
  const paused = pausedAt(1000);
  assert.equal(instantOf(paused, 5000), 1000);
  const playing = play(paused, 10000, 60);
  assert.equal(instantOf(playing, 11000), 1000 + 60000);
  assert.equal(instantOf(pause(playing, 12000), 99999), 1000 + 120000);
});

test("a speed that is not offered plays at 1x", () => {
  assert.equal(play(pausedAt(0), 0, 7).speed, 1);
});

test("the address keeps the other parameters and drops the ones set to null", () => {
  const href = replayHref({ pathname: "/wall/main", search: "?at=5&speed=60&lang=en" }, 1234.4, { speed: null, play: 1 });
  assert.equal(href, "/wall/main?at=1234&lang=en&play=1");
});

test("the banner's time is on the wall's clock, written as the wall's language writes it", () => {
  // 2026-11-29T08:30:05Z is 15:30:05 in Hà Nội (UTC+7)
  const at = Date.UTC(2026, 10, 29, 8, 30, 5);
  assert.equal(stampIn(at, "Asia/Ho_Chi_Minh", "vi"), "29/11/2026 15:30:05");
  assert.equal(stampIn(at, "Asia/Ho_Chi_Minh", "en"), "2026-11-29 15:30:05");
});
