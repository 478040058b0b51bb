/* kpi: value, change vs the previous value, as-of time; optionally a threshold level (colour
 * AND icon), progress to target, a sparkline, and compact large numbers. An update writes only
 * the texts and attributes that change (setText, setData). */
import { setData, setText } from "../static/lib/dom.js";

// Direction-aware level of a value; exposed for reuse by other tile types.
export function thresholdLevel(value, t) {
    if (!t) return null;
    var higher = t.direction === "higher_is_better";
    if (higher ? value >= t.warning : value <= t.warning) return "good";
    if (higher ? value >= t.critical : value <= t.critical) return "warning";
    return "critical";
}

// Drawn, not typed: no glyph depends on a font the wall PC may lack. Each has its own shape.
export const ICONS = {
    good: '<svg viewBox="0 0 24 24"><circle cx="12" cy="12" r="10" fill="currentColor"/>' +
      '<path d="M7 12.5l3.2 3.2L17 9" stroke="#05080f" stroke-width="2.6" fill="none"/></svg>',
    warning: '<svg viewBox="0 0 24 24"><path d="M12 2L23 21H1z" fill="currentColor"/>' +
      '<path d="M12 9v6M12 17.2v1.6" stroke="#05080f" stroke-width="2.4"/></svg>',
    critical: '<svg viewBox="0 0 24 24"><path d="M7 1h10l6 6v10l-6 6H7l-6-6V7z" fill="currentColor"/>' +
      '<path d="M8 8l8 8M16 8l-8 8" stroke="#05080f" stroke-width="2.6"/></svg>',
};

export function mount(el, options, ctx) {
    var valueEl = el.querySelector("[data-role=value]");
    var deltaEl = el.querySelector("[data-role=delta]");
    var asofEl = el.querySelector("[data-role=asof]");
    var levelEl = el.querySelector("[data-role=level]");
    var wordEl = el.querySelector("[data-role=level-word]");
    var targetEl = el.querySelector("[data-role=target]");
    var fillEl = el.querySelector("[data-role=target-fill]");
    var sparkEl = el.querySelector("[data-role=sparkline]");
    var periodEl = el.querySelector("[data-role=period]");
    var latest = null, previous = null, points = [];
    var compact = new Intl.NumberFormat(ctx.numberLocale,
      { notation: "compact", compactDisplay: "long", maximumFractionDigits: 1 });
    var line = null;
    if (sparkEl) {
      var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
      svg.setAttribute("viewBox", "0 0 100 30");
      svg.setAttribute("preserveAspectRatio", "none");
      line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
      line.setAttribute("vector-effect", "non-scaling-stroke");
      svg.appendChild(line);
      sparkEl.appendChild(svg);
    }
    function format(value) {
      return options.compact && Math.abs(value) >= 10000 ? compact.format(value)
        : ctx.number(value, options.decimals);
    }
    function trimSparkline() {
      var cut = ctx.now() - options.sparkline_ms, drop = 0;
      while (drop < points.length && points[drop][0] < cut) drop++;
      if (drop) points.splice(0, drop);
    }
    function drawSparkline() {
      trimSparkline();
      if (points.length < 2) { line.setAttribute("points", ""); return; }
      var lo = Infinity, hi = -Infinity, t0 = points[0][0], span = points[points.length - 1][0] - t0 || 1;
      points.forEach(function (p) { lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]); });
      var range = hi - lo || 1;
      line.setAttribute("points", points.map(function (p) {
        return ((p[0] - t0) / span * 100).toFixed(2) + "," + (28 - (p[1] - lo) / range * 26).toFixed(2);
      }).join(" "));
    }
    var revisedEl = null;
    function showRevision(revision) {
      // A corrected figure says so: the wall never passes a revision off as the first report.
      if (!revision || revision < 2) {
        if (revisedEl) { revisedEl.remove(); revisedEl = null; delete el.dataset.revision; }
        return;
      }
      if (!revisedEl) {
        revisedEl = document.createElement("span");
        revisedEl.className = "kpi-revised";
        asofEl.parentNode.insertBefore(revisedEl, asofEl);
      }
      revisedEl.textContent = ctx.msg("revised") + " " + revision;
      el.dataset.revision = String(revision);
    }
    // Colour, icon and change compare numbers: a value that is not one (shown as invalid) has none.
    function showLevel() {
    var level = latest.value === null ? null : thresholdLevel(latest.value, options.thresholds);
      if (el.dataset.level === (level || undefined)) return;
      if (level) el.dataset.level = level; else delete el.dataset.level;
    levelEl.innerHTML = level ? ICONS[level] : "";
      levelEl.title = level ? ctx.msg("level_" + level) : "";
      if (wordEl) wordEl.textContent = levelEl.title;
    }
    function showDelta() {
      if (latest.value === null || !previous) {
        setText(deltaEl, "");
        setData(deltaEl, "trend", null);
        setData(deltaEl, "better", null);
        return;
      }
      var change = latest.value - previous.value;
      var sign = change > 0 ? "up" : change < 0 ? "down" : "flat";
      var arrow = { up: "▲ +", down: "▼ −", flat: "■ " }[sign];
      setText(deltaEl, arrow + format(Math.abs(change)));
      setData(deltaEl, "trend", sign);
      if (options.thresholds && sign !== "flat") {
        var better = (sign === "up") === (options.thresholds.direction === "higher_is_better");
        setData(deltaEl, "better", better ? "yes" : "no");
      } else {
        setData(deltaEl, "better", null); // no change is neither better nor worse
      }
    }
    function showTarget() {
      var share = latest.value / options.target * 100;
      var width = Math.max(0, Math.min(100, share)).toFixed(1) + "%";
      if (fillEl.style.width !== width) fillEl.style.width = width;
      setText(targetEl, ctx.msg("target") + " " + format(options.target) + " · " +
        ctx.number(share, 0) + "%");
      setData(el, "progress", share.toFixed(1));
    }
    function showPeriod() {
      var pct = (latest.value - latest.period) / Math.abs(latest.period) * 100;
      setText(periodEl, ctx.msg("vs_period") + " " + (pct >= 0 ? "▲ +" : "▼ −") +
        ctx.number(Math.abs(pct), 1) + "%");
      setData(periodEl, "change", pct.toFixed(1));
    }
    function numberOrNull(v) { return typeof v === "number" && isFinite(v) ? v : null; }
    return {
      feeds: [options.feed],
      push: function (feed, entry) {
        var f = entry.fields, value = f[options.field];
        if (value === undefined) return; // not this tile's field: keep the last value
        // Present but not a number (text, null, an object): shown as invalid, never as the last
        // good figure passed off as current.
        value = numberOrNull(value);
        if (latest && latest.value !== null) previous = latest;
        latest = {
          value: value, asof: entry.asof,
          period: options.period_field ? numberOrNull(f[options.period_field]) : null,
          // An indicator's entry: its reporting period, revision and submission time.
          label: f.period !== undefined && f.period !== null ? String(f.period) : null,
          revision: numberOrNull(f.revision),
          submitted: numberOrNull(f.submitted_ms),
        };
        if (numberOrNull(f.previous) !== null) previous = { value: f.previous, asof: entry.asof };
        // Trimmed here too: a tile on a hidden layout is not drawn for as long as it stays hidden.
        if (line && value !== null) { points.push([entry.asof, value]); trimSparkline(); }
      },
      render: function () {
        if (!latest) return;
        var text = latest.value === null ? ctx.invalid : format(latest.value);
        setText(valueEl, text);
        setData(valueEl, "value", latest.value === null ? "" : String(latest.value));
        setText(asofEl, latest.label
          ? ctx.msg("period") + " " + latest.label + " · " + ctx.msg("submitted") + " " + ctx.when(latest.submitted || latest.asof)
          : ctx.msg("asof") + " " + ctx.time(latest.asof));
        showRevision(latest.revision);
        showLevel();
        showDelta();
        if (latest.value === null) return;
        if (fillEl && options.target) showTarget();
        if (line) drawSparkline();
        if (periodEl && latest.period !== null && latest.period !== 0) showPeriod();
      },
    };
}