/* Province shapes (the bundled GeoJSON) as SVG: one projection and one naming for the wall's map,
 * its bar rankings and the leader's panel. */

// Vietnam's middle latitude: an equirectangular projection scaled here keeps shapes true.
const K = Math.cos(16 * Math.PI / 180);

/** [lon, lat] -> [x, y] in SVG units (y grows downwards). */
export function project(c) {
  return [c[0] * K, -c[1]];
}

/** The smallest box holding nothing: extend() grows it. */
export function emptyBox() {
  return [Infinity, Infinity, -Infinity, -Infinity];
}

/** Grows `box` ([minX, minY, maxX, maxY]) to hold the point [x, y]; returns it. */
export function extend(box, p) {
  box[0] = Math.min(box[0], p[0]); box[1] = Math.min(box[1], p[1]);
  box[2] = Math.max(box[2], p[0]); box[3] = Math.max(box[3], p[1]);
  return box;
}

/** A feature's outline as SVG path data, every ring closed; `box` grows to hold it. */
export function featurePath(feature, box) {
  const g = feature.geometry;
  const polygons = g.type === "Polygon" ? [g.coordinates] : g.coordinates;
  let d = "";
  polygons.forEach((polygon) => polygon.forEach((ring) => {
    d += "M" + ring.map((c) => {
      const p = project(c);
      extend(box, p);
      return p[0].toFixed(3) + "," + p[1].toFixed(3);
    }).join("L") + "Z";
  }));
  return d;
}

/** A box as an SVG viewBox, `pad` units around it. */
export function viewBox(box, pad = 0) {
  return [box[0] - pad, box[1] - pad, box[2] - box[0] + 2 * pad, box[3] - box[1] + 2 * pad].join(" ");
}

/** A province's name in `locale` ("vi" or "en"), else the Vietnamese one, else its code. */
export function provinceName(feature, locale) {
  const p = feature.properties || {};
  return (locale === "vi" ? p.name_vi : p.name_en) || p.name_vi || String(feature.id);
}

/** Code -> name for every feature of a shape file. */
export function provinceNames(geojson, locale) {
  const names = {};
  geojson.features.forEach((f) => { names[String(f.id)] = provinceName(f, locale); });
  return names;
}
