/* map: provinces drawn as SVG from a bundled GeoJSON, coloured by value (viridis: readable with
 * colour-vision deficiencies), point markers by severity, legend, and a highlighted province. */
import { fetchJson } from "../static/lib/fetch-json.js";
import { emptyBox, extend, featurePath, project as xy, provinceName, viewBox } from "../static/lib/geo.js";

const PALETTE = ["#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"];

export function mount(el, options, ctx, guard) {
  var NS = "http://www.w3.org/2000/svg";
  var canvas = el.querySelector("[data-role=map]");
  var minEl = el.querySelector("[data-role=legend-min]"), maxEl = el.querySelector("[data-role=legend-max]");
  var hl = el.querySelector("[data-role=highlight]");
  var values = {}, markers = new Map(), paths = {}, names = {}, islands = [], svg = null, dots = null;
  function draw(geojson) {
    var box = emptyBox();
    svg = document.createElementNS(NS, "svg");
    geojson.features.forEach(function (feature) {
      var d = featurePath(feature, box);
      var path = document.createElementNS(NS, "path");
      var code = String(feature.id);
      path.setAttribute("d", d);
      path.setAttribute("class", "province" + (code === options.highlight ? " highlighted" : ""));
      path.dataset.code = code;
      var props = feature.properties || {};
      names[code] = provinceName(feature, ctx.locale);
      var title = document.createElementNS(NS, "title");
      title.textContent = names[code];
      path.appendChild(title);
      svg.appendChild(path);
      paths[code] = path;
      (props.islands || []).forEach(function (island) { islands.push(island); });
    });
    islands.forEach(function (island) {
      // Room for each archipelago's ring and its name (about 3 units wide) inside the view.
      var p = xy([island.lon, island.lat]), half = Math.max(island.radius, 3.4);
      extend(box, [p[0] - half, p[1]]);
      extend(box, [p[0] + half, p[1] + island.radius + 0.8]);
    });
    svg.setAttribute("viewBox", viewBox(box, 0.2));
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    islands.forEach(function (island) {
      // Archipelagos are specks at wall scale: ring and name them so they are always seen.
      var p = xy([island.lon, island.lat]);
      var ring = document.createElementNS(NS, "circle");
      ring.setAttribute("cx", p[0].toFixed(3)); ring.setAttribute("cy", p[1].toFixed(3));
      ring.setAttribute("r", String(island.radius));
      ring.setAttribute("class", "island-ring");
      var label = document.createElementNS(NS, "text");
      label.setAttribute("x", p[0].toFixed(3));
      label.setAttribute("y", (p[1] + island.radius + 0.55).toFixed(3));
      label.setAttribute("class", "island-label");
      label.textContent = ctx.locale === "vi" ? island.name_vi : island.name_en;
      svg.append(ring, label);
    });
    el.dataset.islands = String(islands.length);
    dots = document.createElementNS(NS, "g");
    svg.appendChild(dots);
    canvas.replaceChildren(svg);
    if (options.highlight && paths[options.highlight]) svg.insertBefore(paths[options.highlight], dots);
    el.dataset.provinces = String(Object.keys(paths).length);
    render();
  }
  function colour(t) {
    var p = PALETTE, i = Math.max(0, Math.min(p.length - 1, Math.round(t * (p.length - 1))));
    return p[i];
  }
  function render() {
    if (!svg) return;
    var codes = Object.keys(values), lo = Infinity, hi = -Infinity;
    codes.forEach(function (c) { lo = Math.min(lo, values[c]); hi = Math.max(hi, values[c]); });
    if (options.scale) { lo = options.scale.min; hi = options.scale.max; }
    Object.keys(paths).forEach(function (code) {
      var v = values[code], path = paths[code];
      if (typeof v === "number") {
        path.style.fill = colour(hi > lo ? (v - lo) / (hi - lo) : 1);
        path.dataset.value = String(v);
      } else {
        path.style.fill = "";
        delete path.dataset.value;
      }
      // Its hover text: the name, and the value as the legend writes it (issue 18).
      path.firstChild.textContent = names[code] + (typeof v === "number" ? ": " + ctx.number(v, 1) : "");
    });
    if (codes.length) {
      if (minEl) { minEl.textContent = ctx.number(lo, 1); maxEl.textContent = ctx.number(hi, 1); }
    }
    if (hl && options.highlight) {
      var hv = values[options.highlight];
      hl.textContent = (names[options.highlight] || options.highlight) +
        (typeof hv === "number" ? ": " + ctx.number(hv, 1) : "");
    }
    var fragment = document.createDocumentFragment();
    markers.forEach(function (m) {
      var dot = document.createElementNS(NS, "circle"), p = xy([m.lon, m.lat]);
      dot.setAttribute("cx", p[0].toFixed(3)); dot.setAttribute("cy", p[1].toFixed(3));
      dot.setAttribute("r", "0.22");
      dot.setAttribute("class", "marker severity-" + m.severity);
      dot.dataset.markerId = m.id;
      var title = document.createElementNS(NS, "title");
      title.textContent = m.label;
      dot.appendChild(title);
      fragment.appendChild(dot);
    });
    dots.replaceChildren(fragment);
    el.dataset.markers = String(markers.size);
  }
  // A source that raises and never clears must not pile up dots (or page memory) for an hour:
  // the newest max_points stay, which is also all a wall can show legibly.
  function keep(m) {
    markers.delete(m.id); // re-inserted: the Map's order is the markers' age
    markers.set(m.id, m);
    while (markers.size > options.max_points) markers.delete(markers.keys().next().value);
  }
  function marker(raw, asof) {
    var severity = ["critical", "warning", "info"].indexOf(raw.severity) >= 0 ? raw.severity : "info";
    return { id: String(raw.id !== undefined ? raw.id : raw.lat + "," + raw.lon), lat: raw.lat, lon: raw.lon,
             severity: severity, label: String(raw.label || raw.text || ""), at: asof };
  }
  // draw ends in a render: its failure is the core's render failing, cleared by the next good one.
  fetchJson(options.shapes).then(guard("render", draw)).catch(function (err) {
    console.error("opswall map: cannot load " + options.shapes, err);
  });
  return {
    feeds: [options.feed, options.points].filter(Boolean),
    push: function (feed, entry) {
      var f = entry.fields;
      if (feed === options.feed) {
        var v = f[options.field];
        if (Array.isArray(v)) {
          values = {};
          v.forEach(function (row) {
            var value = row ? ctx.toNumber(row.value) : null; // "21.5" from a CSV adapter too
            if (value !== null) values[String(row.code !== undefined ? row.code : row.name)] = value;
          });
        } else if (v && typeof v === "object") {
          values = {};
          Object.keys(v).forEach(function (code) {
            var value = ctx.toNumber(v[code]);
            if (value !== null) values[code] = value;
          });
        }
      }
      if (feed === options.points) {
        if (Array.isArray(f.points)) {
          markers = new Map();
          f.points.forEach(function (raw) { if (raw && typeof raw.lat === "number") keep(marker(raw, entry.asof)); });
        } else if (f.state === "cleared" && f.id !== undefined) {
          markers.delete(String(f.id));
        } else if (typeof f.lat === "number" && typeof f.lon === "number") {
          keep(marker(f, entry.asof));
        }
      }
    },
    render: render,
    // The scene's province changed: move the outline without redrawing the map.
    follow: function (code) {
      var previous = options.highlight;
      options.highlight = code || null;
      if (previous && paths[previous]) paths[previous].setAttribute("class", "province");
      if (code && paths[code]) {
        paths[code].setAttribute("class", "province highlighted");
        svg.insertBefore(paths[code], dots);
      }
      if (hl && !code) hl.textContent = "";
      render();
    },
    // Called when the oldest marker expires (the instant it returns), not every second.
    tick: function (now) {
      var before = markers.size, next = Infinity;
      markers.forEach(function (m, id) {
        if (now - m.at > options.points_window_ms) markers.delete(id);
        else next = Math.min(next, m.at + options.points_window_ms + 1);
      });
      if (markers.size !== before) render();
      return next === Infinity ? now + 60000 : next;
    },
  };
}