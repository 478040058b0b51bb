/* gauge: a half-circle dial whose arc follows the value; thresholds set its level. */
import { ICONS, thresholdLevel } from "./kpi.js";

export function mount(el, options, ctx) {
  var NS = "http://www.w3.org/2000/svg", valueEl = el.querySelector("[data-role=value]");
  var svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "0 0 100 56");
  var track = document.createElementNS(NS, "path"), arc = document.createElementNS(NS, "path");
  var d = "M 8 50 A 42 42 0 0 1 92 50"; // a half circle, left to right
  track.setAttribute("d", d); track.setAttribute("class", "gauge-track");
  arc.setAttribute("d", d); arc.setAttribute("class", "gauge-arc");
  arc.setAttribute("pathLength", "100"); arc.setAttribute("stroke-dasharray", "0 100");
  svg.append(track, arc);
  el.querySelector("[data-role=dial]").appendChild(svg);
  var levelEl = el.querySelector("[data-role=level]"), wordEl = el.querySelector("[data-role=level-word]");
  var latest = null;
  // Shape and word as well as colour: the KPI's icons and words (README).
  function showLevel(level) {
    if (level) el.dataset.level = level; else delete el.dataset.level;
    if (!levelEl || levelEl.dataset.shown === (level || "")) return;
    levelEl.dataset.shown = level || "";
    levelEl.innerHTML = level ? ICONS[level] : "";
    wordEl.textContent = level ? ctx.msg("level_" + level) : "";
  }
  function showInvalid() {
    arc.setAttribute("stroke-dasharray", "0 100");
    valueEl.textContent = ctx.invalid;
    valueEl.dataset.value = "";
    delete el.dataset.share;
    showLevel(null);
  }
  return {
    feeds: [options.feed],
    push: function (feed, entry) {
      var v = entry.fields[options.field];
      if (v === undefined) return; // not this tile's field: keep the last value
      latest = typeof v === "number" && isFinite(v) ? v : NaN; // NaN: not a number, shown as invalid
    },
    render: function () {
      if (latest === null) return;
      if (isNaN(latest)) { showInvalid(); return; }
      var share = Math.max(0, Math.min(1, (latest - options.min) / (options.max - options.min)));
      arc.setAttribute("stroke-dasharray", (share * 100).toFixed(2) + " 100");
      valueEl.textContent = ctx.number(latest, options.decimals);
      valueEl.dataset.value = String(latest);
      el.dataset.share = (share * 100).toFixed(1);
      showLevel(thresholdLevel(latest, options.thresholds));
    },
  };
}
