// Projection and province names: one for the map tile, the bar ranking and the leader's panel.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { emptyBox, featurePath, project, provinceName, provinceNames, viewBox } from "../../opswall/static/lib/geo.js";

const square = {
  id: 1, properties: { name_vi: "Hà Nội", name_en: "Hanoi" },
  geometry: { type: "Polygon", coordinates: [[[105, 21], [106, 21], [106, 22], [105, 21]]] },
};

test("longitude is scaled by the cosine of 16° and latitude turned to grow downwards", () => {
  const [x, y] = project([100, 20]);
  assert.ok(Math.abs(x - 100 * Math.cos(16 * Math.PI / 180)) < 1e-9);
  assert.equal(y, -20);
});

test("a feature becomes closed SVG rings, and the box grows to hold it", () => {
  const box = emptyBox();
  const d = featurePath(square, box);
  assert.match(d, /^M[-\d.]+,-21\.000L[-\d.]+,-21\.000L[-\d.]+,-22\.000L[-\d.]+,-21\.000Z$/);
  assert.deepEqual(box.map((v) => Number(v.toFixed(3))), [100.932, -22, 101.894, -21]);
  assert.equal(viewBox([0, 0, 2, 1], 0.5), "-0.5 -0.5 3 2");
});

test("a multipolygon draws every part", () => {
  const two = { ...square, geometry: { type: "MultiPolygon", coordinates: [square.geometry.coordinates, square.geometry.coordinates] } };
  assert.equal(featurePath(two, emptyBox()).split("Z").length - 1, 2);
});

test("names in the locale, else Vietnamese, else the code", () => {
  assert.equal(provinceName(square, "en"), "Hanoi");
  assert.equal(provinceName(square, "vi"), "Hà Nội");
  assert.equal(provinceName({ id: 7, properties: { name_vi: "Huế" } }, "en"), "Huế");
  assert.equal(provinceName({ id: 7 }, "en"), "7");
});

test("the bundled shapes name every province in both languages", () => {
  const url = new URL("../../opswall/assets/geo/vn-34.geojson", import.meta.url);
  const geo = JSON.parse(readFileSync(url, "utf-8"));
  const en = provinceNames(geo, "en"), vi = provinceNames(geo, "vi");
  assert.equal(Object.keys(en).length, 34);
  assert.equal(vi["01"] || vi["1"], "Hà Nội");
});
