// The tile client contract as checked at mount (docs/tiles.md), and the gateway URL pages dial.
import assert from "node:assert/strict";
import { test } from "node:test";
import { gatewayUrl } from "../../opswall/static/lib/gateway.js";
import { moduleProblems, OPTIONAL_HOOKS, REQUIRED_HOOKS, tileProblems } from "../../opswall/static/wall/contract.js";

const noop = () => {};

test("a tile with feeds, push and render keeps the contract", () => {
  assert.deepEqual(tileProblems({ feeds: ["a"], push: noop, render: noop }, {}), []);
  assert.deepEqual(REQUIRED_HOOKS, ["push", "render"]);
});

test("a missing required hook, a hook that is no function, or feeds that are not ids break it", () => {
  assert.deepEqual(tileProblems({ feeds: [], push: noop }, {}), ["no render"]);
  assert.deepEqual(tileProblems({ feeds: [], push: noop, render: noop, tick: 5 }, {}), ["tick is not a function"]);
  assert.deepEqual(tileProblems({ feeds: "a", push: noop, render: noop }, {}), ["feeds is not a list of feed ids"]);
  assert.deepEqual(tileProblems(null, {}), ["mount returned no tile"]);
  assert.deepEqual(moduleProblems({}), ["no mount(el, options, ctx, guard)"]);
  assert.deepEqual(moduleProblems({ mount: noop }), []);
});

test("every optional hook is accepted as a function", () => {
  const tile = { feeds: [], push: noop, render: noop };
  OPTIONAL_HOOKS.forEach((hook) => { tile[hook] = noop; });
  assert.deepEqual(tileProblems(tile, { highlight: null, highlight_default: null }), []);
});

test("a tile that follows a scene variable needs the default it falls back to", () => {
  assert.deepEqual(tileProblems({ feeds: [], push: noop, render: noop, follow: noop }, { highlight: "01" }),
    ["follow without options.highlight_default"]);
  assert.deepEqual(tileProblems({ feeds: [], push: noop, render: noop, follow: noop }, {}),
    ["follow without options.highlight", "follow without options.highlight_default"]);
});

test("the gateway is a port on the page's host, or a whole URL", () => {
  const page = { protocol: "http:", hostname: "wall.local" };
  assert.equal(gatewayUrl(":8765", page, "main"), "ws://wall.local:8765/ws/main");
  assert.equal(gatewayUrl(":8765", { ...page, protocol: "https:" }, "_panel"), "wss://wall.local:8765/ws/_panel");
  assert.equal(gatewayUrl("wss://gw.example/", page, "a b"), "wss://gw.example/ws/a%20b");
});
