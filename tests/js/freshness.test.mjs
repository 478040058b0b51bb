// Freshness: live, stale past the feed's window, down when the link or the source is, error over all.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ageLine, freshness, oldestAsof } from "../../opswall/static/lib/freshness.js";

const UP = { up: true, redisUp: true, unreachable: {} };
const entries = { load: { asof: 10000 }, rivers: { asof: 4000 } };
const latest = (feed) => entries[feed] || null;
const staleMs = () => 5000;

function judge(feeds, now, link = UP, failed = false) {
  return freshness({ feeds, latest, staleMs, link, failed }, now);
}

test("a feed within its window is live; past it, stale", () => {
  assert.equal(judge(["load"], 15000), "live");
  assert.equal(judge(["load"], 15001), "stale");
});

test("a tile is as fresh as its stalest feed, and a feed with no entry is stale", () => {
  assert.equal(judge(["load", "rivers"], 11000), "stale");
  assert.equal(judge(["nothing"], 0), "stale");
});

test("a lost link, Redis down or an unreachable feed make a tile down", () => {
  assert.equal(judge(["load"], 11000, { ...UP, up: false }), "down");
  assert.equal(judge(["load"], 11000, { ...UP, redisUp: false }), "down");
  assert.equal(judge(["load"], 11000, { ...UP, unreachable: { load: true } }), "down");
  assert.equal(judge(["rivers"], 5000, { ...UP, unreachable: { load: true } }), "live");
});

test("a tile in error is never live", () => {
  assert.equal(judge(["load"], 11000, UP, true), "error");
  assert.equal(judge([], 0, UP, true), "error");
});

test("a tile with no feed is live", () => {
  assert.equal(judge([], 0), "live");
});

test("the age is the oldest of the tile's latest entries", () => {
  assert.equal(oldestAsof(["load", "rivers"], latest), 4000);
  assert.equal(oldestAsof(["nothing"], latest), null);
});

const ctx = { msg: (key) => key.toUpperCase(), age: (ms) => `${ms / 1000} s ago` };

test("the age line says why figures are not live", () => {
  const line = (fresh, asof, linkUp = true) => ageLine(ctx, { fresh, asof, hasFeeds: true, linkUp }, 10000);
  assert.equal(line("live", 7000), "3 s ago");
  assert.equal(line("stale", 7000), "⚠ STALE · 3 s ago");
  assert.equal(line("down", 7000), "⚠ NO_SOURCE · 3 s ago");
  assert.equal(line("down", 7000, false), "⚠ STALE · 3 s ago");
  assert.equal(line("error", 7000), "⚠ TILE_ERROR · 3 s ago");
  assert.equal(line("stale", null), "NO_DATA");
  assert.equal(ageLine(ctx, { fresh: "live", asof: null, hasFeeds: false, linkUp: true }, 0), "");
});

test("an age line changes when its stepped age does, and not before", async () => {
  const { ageChangesAt } = await import("../../opswall/static/lib/freshness.js");
  assert.equal(ageChangesAt(0, 0), 1000); // "0 s" until 1 s: rounded down, never up
  assert.equal(ageChangesAt(0, 3400), 4000);
  assert.equal(ageChangesAt(0, 9999), 10000);
  assert.equal(ageChangesAt(0, 10000), 15000); // 5 s steps from 10 s: "10 s" until 15 s
  assert.equal(ageChangesAt(0, 57000), 60000); // "55 s" until "1 min" at 60 s
  assert.equal(ageChangesAt(0, 61000), 120000); // "1 min" until 2 min
  assert.equal(ageChangesAt(0, 3600 * 1000 + 10), 7200000);
  assert.equal(ageChangesAt(5000, 4000), 6000); // a clock a little behind: "0 s" until 1 s old
  assert.equal(ageChangesAt(null, 5), Infinity);
});

test("freshness changes by age only once, when live turns stale", async () => {
  const { staleAt } = await import("../../opswall/static/lib/freshness.js");
  assert.equal(staleAt(1000, 5000, 2000), 6001);
  assert.equal(staleAt(1000, 5000, 7000), Infinity);
  assert.equal(staleAt(null, 5000, 0), Infinity);
});
