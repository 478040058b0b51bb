// Reconnect backoff with jitter: doubling from the minimum, capped, spread by a random factor.
import assert from "node:assert/strict";
import { test } from "node:test";
import { backoff } from "../../opswall/static/lib/backoff.js";

const WALL = { minMs: 300, maxMs: 10000 };

test("the wait doubles with each attempt, up to the cap", () => {
  const top = () => 1; // the random factor at the top of the spread
  assert.deepEqual([0, 1, 2, 3].map((n) => backoff(n, WALL, top)), [300, 600, 1200, 2400]);
  assert.equal(backoff(6, WALL, top), 10000);
  assert.equal(backoff(60, WALL, top), 10000);
});

test("jitter spreads the wait over the spread, half to whole by default", () => {
  assert.equal(backoff(0, WALL, () => 0), 150);
  assert.equal(backoff(0, WALL, () => 0.5), 225);
});

test("a spread of its own (the video panes': three quarters to one and a quarter)", () => {
  const panes = { minMs: 1000, maxMs: 30000, spread: [0.75, 1.25] };
  assert.equal(backoff(0, panes, () => 0), 750);
  assert.equal(backoff(10, panes, () => 1), 37500);
});

test("every wait stays within its bounds for any random draw", () => {
  for (let attempt = 0; attempt < 40; attempt++) {
    const wait = backoff(attempt, WALL);
    assert.ok(wait >= 150 && wait <= 10000, `attempt ${attempt}: ${wait}`);
  }
});
