// The layout studio's pure helpers (opswall/static/studio): snapping a drag to the grid,
// refusing overlaps and out-of-grid places, and turning a draft into the server's changes.
import { test } from "node:test";
import assert from "node:assert/strict";

import { firstFree, fits, inside, moved, overlaps, resized, snap } from "../../opswall/static/studio/geometry.js";
import { changesOf, copyLayouts, issueTile, optionChanges } from "../../opswall/static/studio/draft.js";
import { changeLine } from "../../opswall/static/studio/report.js";
import { sceneChanges, varChanges, varValue } from "../../opswall/static/studio/scenes.js";
import { formatDuration, parseDuration, typedDuration } from "../../opswall/static/studio/durations.js";
import { movedStep, tidyDwell } from "../../opswall/static/studio/rotation.js";
import { issueStep, rotationChanged } from "../../opswall/static/studio/draft.js";
import { edited, freshId, optionsOf, optionValue } from "../../opswall/static/studio/options.js";

const grid = { cols: 12, rows: 6 };
const at = (col, row, w, h) => ({ col, row, w, h });

test("a drag snaps to the nearest whole cell", () => {
  assert.equal(snap(149, 100), 1);
  assert.equal(snap(151, 100), 2);
  assert.equal(snap(-49, 100), 0);
  assert.ok(Object.is(snap(-49, 100), 0)); // never -0
  assert.equal(snap(-51, 100), -1);
  assert.equal(snap(500, 0), 0); // a board with no size moves nothing
});

test("overlap is sharing a cell; touching edges is not", () => {
  assert.ok(overlaps(at(1, 1, 3, 2), at(3, 2, 2, 2)));
  assert.ok(!overlaps(at(1, 1, 3, 2), at(4, 1, 3, 2)));
  assert.ok(!overlaps(at(1, 1, 3, 2), at(1, 3, 3, 2)));
  assert.ok(overlaps(at(2, 2, 1, 1), at(1, 1, 4, 4))); // one inside the other
});

test("moves and resizes stay inside the grid", () => {
  assert.deepEqual(moved(at(10, 1, 3, 2), 5, -3, grid), at(10, 1, 3, 2));
  assert.deepEqual(moved(at(1, 1, 3, 2), 2, 1, grid), at(3, 2, 3, 2));
  assert.deepEqual(resized(at(10, 5, 3, 2), 4, 4, grid), at(10, 5, 3, 2));
  assert.deepEqual(resized(at(1, 1, 3, 2), -9, -9, grid), at(1, 1, 1, 1));
  assert.ok(inside(at(10, 5, 3, 2), grid) && !inside(at(11, 5, 3, 2), grid));
});

test("a place fits when it is inside and over no other tile", () => {
  const tiles = [{ id: "a", at: at(1, 1, 3, 2) }, { id: "b", at: at(4, 1, 3, 2) }];
  assert.ok(fits(at(1, 3, 3, 2), "a", tiles, grid));
  assert.ok(fits(at(1, 1, 3, 1), "a", tiles, grid)); // its own old place does not count
  assert.ok(!fits(at(2, 1, 3, 2), "a", tiles, grid));
  assert.ok(!fits(at(11, 1, 3, 2), "a", tiles, grid));
});

test("a draft's changes: deletes, moves with the whole at, grids", () => {
  const original = [
    { id: "main", grid: { cols: 12, rows: 6 }, tiles: [
      { id: "a", at: at(1, 1, 3, 2) }, { id: "b", at: at(4, 1, 3, 2) }, { id: "c", at: at(7, 1, 3, 2) },
    ] },
    { id: "other", grid: { cols: 6, rows: 6 }, tiles: [] },
  ];
  const draft = copyLayouts(original);
  assert.deepEqual(changesOf(original, draft), []);
  draft[0].tiles[1].at = at(4, 3, 3, 1);
  draft[0].tiles = draft[0].tiles.filter((t) => t.id !== "c");
  draft[1].grid = { cols: 8, rows: 6 };
  assert.deepEqual(original[0].tiles[1].at, at(4, 1, 3, 2)); // the copy is deep
  assert.deepEqual(changesOf(original, draft), [
    { op: "move", screen: "main", tile: "b", at: at(4, 3, 3, 1) },
    { op: "delete", screen: "main", tile: "c" },
    { op: "grid", screen: "other", grid: { cols: 8, rows: 6 } },
  ]);
  assert.deepEqual(issueTile("screens[0].tiles[1].at", draft), { screen: "main", tile: "b" });
  assert.equal(issueTile("screens[0].tiles[7]", draft), null);
  assert.equal(issueTile("feeds[0].id", draft), null);
});

test("a new tile goes to the first free place, or 1x1, or nowhere", () => {
  const tiles = [{ id: "a", at: at(1, 1, 3, 2) }];
  assert.deepEqual(firstFree(tiles, grid, 3, 2), at(4, 1, 3, 2));
  const full = [{ id: "a", at: at(1, 1, 12, 6) }];
  assert.equal(firstFree(full, grid, 3, 2), null);
  const nearly = [{ id: "a", at: at(1, 1, 12, 5) }, { id: "b", at: at(1, 6, 11, 1) }];
  assert.deepEqual(firstFree(nearly, grid, 3, 2), at(12, 6, 1, 1));
});

test("an added tile is an add change with its options", () => {
  const original = [{ id: "main", grid: { cols: 12, rows: 6 }, tiles: [] }];
  const draft = copyLayouts(original);
  draft[0].tiles.push({ id: "k", type: "kpi", title: "k", at: at(1, 1, 3, 2), options: { feed: "cpi" } });
  assert.deepEqual(changesOf(original, draft), [
    { op: "add", screen: "main", tile: { id: "k", type: "kpi", at: at(1, 1, 3, 2), feed: "cpi" } },
  ]);
});

test("form values are typed by kind; empty boxes and defaults are left out", () => {
  const fields = [
    { name: "feed", kind: "feed", default: null },
    { name: "decimals", kind: "int", default: null },
    { name: "compact", kind: "bool", default: false },
    { name: "title", kind: "text", default: null },
    { name: "series", kind: "file", default: null },
    { name: "sparkline", kind: "duration", default: null },
  ];
  const raws = {
    feed: { value: "cpi" }, decimals: { value: "2" }, compact: { checked: false },
    title: { vi: "Giá", en: "" }, series: { value: "x" }, sparkline: { value: "" },
  };
  assert.deepEqual(optionsOf(fields, raws), { feed: "cpi", decimals: 2, title: { vi: "Giá" } });
  assert.equal(optionValue({ kind: "bool", default: true }, { checked: false }), false);
  assert.equal(optionValue({ kind: "number", default: null }, { value: "abc" }), "abc");
  const layout = { tiles: [{ id: "gdp" }] };
  assert.ok(freshId("gdp-2", layout));
  assert.ok(!freshId("gdp", layout) && !freshId("Gdp", layout) && !freshId("", layout));
});

test("editing options keeps untouched values as the file wrote them", () => {
  const fields = [
    { name: "feed", kind: "feed", default: null },
    { name: "sparkline", kind: "duration", default: null },
    { name: "decimals", kind: "int", default: null },
    { name: "compact", kind: "bool", default: false },
    { name: "title", kind: "text", default: null },
    { name: "thresholds", kind: "file", default: null },
  ];
  const original = { feed: "cpi", sparkline: 600, decimals: 2, thresholds: { warning: 1 } };
  const raws = {
    feed: { value: "cpi" }, sparkline: { value: "600" }, decimals: { value: "" },
    compact: { checked: true }, title: { vi: "", en: "Prices" },
  };
  assert.deepEqual(edited(fields, raws, original), {
    feed: "cpi", sparkline: 600, thresholds: { warning: 1 }, compact: true, title: { en: "Prices" },
  });
  assert.deepEqual(optionChanges(original, edited(fields, raws, original)), {
    decimals: null, compact: true, title: { en: "Prices" },
  });
  assert.equal(optionChanges(original, { ...original }), null);
});

test("the pending changes read in the page's language, an added tile by its id and place", () => {
  const vi = { studio_op_move: "di chuyển", studio_op_add: "thêm", studio_op_at: "cột {col}, hàng {row}, {w}×{h}" };
  const move = { op: "move", screen: "main", tile: "clock", at: at(10, 4, 3, 2) };
  assert.equal(changeLine(move, vi), "di chuyển main/clock cột 10, hàng 4, 3×2");
  const add = { op: "add", screen: "main", tile: { id: "kpi-2", type: "kpi", at: at(1, 3, 3, 2) } };
  assert.equal(changeLine(add, vi), "thêm main/kpi-2 cột 1, hàng 3, 3×2");
  assert.equal(changeLine({ op: "grid", screen: "main", grid: { cols: 10, rows: 6 } }, vi), "grid main 10×6");
});

test("a scene's screens changed in the studio become show changes, a cleared one as null", () => {
  const before = [{ id: "economy", show: { main: "economy", overview: "economy" } }];
  const after = [{ id: "economy", show: { main: "records", wall2: "economy" } }];
  assert.deepEqual(sceneChanges(before, after), [
    { op: "show", scene: "economy", screen: "main", layout: "records" },
    { op: "show", scene: "economy", screen: "overview", layout: null },
    { op: "show", scene: "economy", screen: "wall2", layout: "economy" },
  ]);
  const words = { studio_op_show: "scene", studio_own_layout: "(its own layout)" };
  assert.equal(changeLine(sceneChanges(before, after)[1], words), "scene economy: overview → (its own layout)");
});

test("durations read and write as the file does, largest unit first", () => {
  assert.equal(parseDuration("10m"), 600);
  assert.equal(parseDuration("1h30m"), 5400);
  assert.equal(parseDuration("500ms"), 0.5);
  assert.equal(parseDuration("90"), 90);
  assert.equal(parseDuration("30m1h"), null); // largest first
  assert.equal(parseDuration("1h1h"), null); // each once
  assert.equal(parseDuration("soon"), null);
  assert.equal(parseDuration(""), null);
  assert.equal(formatDuration(600), "10m");
  assert.equal(formatDuration(5400), "1h30m");
  assert.equal(formatDuration(0.5), "500ms");
  assert.equal(formatDuration(90061), "1d1h1m1s");
  assert.equal(typedDuration(" 1h 30m "), "1h30m");
  assert.equal(typedDuration("0s"), null); // must be longer than zero
  assert.equal(tidyDwell("600"), "10m"); // a bare number of seconds, written in units
  assert.equal(tidyDwell("bad"), null);
});

test("a rotation's steps reorder, and a change is seen by scene, dwell, place or count", () => {
  const file = [{ scene: "a", dwell: "40s" }, { scene: "b", dwell: "1m" }];
  const [draft] = copyLayouts([{ id: "s", grid, tiles: [], rotation: file }]);
  assert.deepEqual(draft.rotation.map((s) => s.from), [0, 1]);
  assert.ok(!rotationChanged(file, draft.rotation));
  const swapped = movedStep(draft.rotation, 0, 1);
  assert.deepEqual(swapped.map((s) => s.scene), ["b", "a"]);
  assert.equal(movedStep(swapped, 0, -1), swapped); // out of range: unchanged
  assert.ok(rotationChanged(file, swapped));
  draft.rotation[1].dwell = "2m";
  const [change] = changesOf([{ id: "s", grid, tiles: [], rotation: file }], [draft]);
  assert.deepEqual(change, { op: "rotation", screen: "s", steps: [
    { scene: "a", dwell: "40s", from: 0 }, { scene: "b", dwell: "2m", from: 1 }] });
  assert.equal(changeLine(change, { studio_op_rotation: "luân phiên" }), "luân phiên s: a 40s → b 2m");
  assert.deepEqual(issueStep("screens[0].rotation[1].dwell", [draft]), { screen: "s", step: 1 });
  assert.equal(issueStep("screens[0].tiles[1]", [draft]), null);
});

test("a scene's title and vars become one scene change; a var keeps the file's type", () => {
  const file = [{ id: "x", titles: { vi: "A", en: "A" }, show: {}, vars: { p: "42", n: 3 } }];
  const after = [{ id: "x", titles: { vi: "Á", en: "A" }, show: {}, vars: { n: 4, q: "" } }];
  assert.deepEqual(sceneChanges(file, after), [
    { op: "scene", scene: "x", title: { vi: "Á", en: "A" }, vars: { p: null, n: 4, q: "" } }]);
  assert.equal(varChanges({ p: 1 }, { p: 1 }), null);
  assert.equal(varValue("7", 3), 7);
  assert.equal(varValue("07", "42"), "07");
  assert.equal(varValue("x", 3), "x");
});

test("a duration option is typed and written in units, a bad one left to the loader", () => {
  const field = { name: "window", kind: "duration", default: "5m" };
  assert.equal(optionValue(field, { value: "600" }), "10m");
  assert.equal(optionValue(field, { value: "1h 30m" }), "1h30m");
  assert.equal(optionValue(field, { value: "soon" }), "soon");
  assert.equal(optionValue(field, { value: "" }), undefined);
  assert.deepEqual(edited([field], { window: { value: "10m" } }, { window: "10m" }), { window: "10m" });
});
