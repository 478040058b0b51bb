/* chart: keeps each series' rolling window and draws it as SVG, without Plotly (issue 22:
 * Plotly's redraw of its axes cost ~22 ms of main thread per point). A draw rewrites the lines'
 * path data and the time axis' offset; tick labels only when the tick set changes. Draws are
 * capped at MAX_HZ per chart; the drawn window is `el.drawn` (docs/tiles.md). */
import {
  areaPath, extent, fitCount, linePath, plottable, timeLabels, timeStep, timeTicks, valueLabels,
  valueScale, zoneOffsets,
} from "../static/lib/chart-scale.js";

const MAX_HZ = 4;
const NS = "http://www.w3.org/2000/svg";

function node(name, attrs, parent) {
  var n = document.createElementNS(NS, name);
  Object.keys(attrs).forEach(function (key) { n.setAttribute(key, attrs[key]); });
  if (parent) parent.appendChild(n);
  return n;
}

function setAttr(n, key, value) {
  if (n.getAttribute(key) !== value) n.setAttribute(key, value);
}

/** The plot's box in px (margins around it sized in ems of the axis font). */
function frame(w, h, em, left) {
  var top = 0.6 * em, bottom = 1.9 * em, right = 0.6 * em;
  return { left: left, top: top, w: Math.max(1, w - left - right), h: Math.max(1, h - top - bottom) };
}

export function mount(el, options, ctx, guard) {
  var minGap = 1000 / MAX_HZ;
  var series = options.series.map(function () { return { t: [], y: [] }; });
  var host = el.querySelector("[data-role=plot]");
  var offsetOf = zoneOffsets(ctx.tz);
  var timeLabel = timeLabels(ctx.numberLocale, ctx.tz, options.tick_sample.length > 5);
  var measure = document.createElement("canvas").getContext("2d");
  var svg = node("svg", { class: "chart-svg", "aria-hidden": "true" }, host);
  var yAxis = node("g", { class: "chart-y" }, svg);
  var xAxis = node("g", { class: "chart-x" }, svg);
  var plot = node("svg", { class: "chart-area-box" }, svg); // a nested svg clips what it draws
  var bands = (options.bands || []).map(function (band) {
    return { band: band, rect: node("rect", { class: "chart-band chart-band-" + band.level, x: "0" }, plot) };
  });
  var drawn = options.series.map(function (spec, i) {
    var colour = (options.lines[i] || {}).color || "#56B4E9";
    return {
      area: options.style === "area" ? node("path", { class: "chart-fill", fill: colour }, plot) : null,
      line: node("path", { class: "chart-line", stroke: colour, "data-series": String(i) }, plot),
    };
  });
  var box = { w: 0, h: 0 }, font = null, lastDraw = 0, timer = null, tick = 0;
  var shownY = "", shownX = "", xTicks = [], yNodes = [], area = null;
  el.drawn = { series: [], yTicks: [], xTicks: [] };

  function fontOf() {
    // Read once per size (a resize, fonts loaded): the labels' font, for measuring them.
    var style = getComputedStyle(svg);
    var size = parseFloat(style.fontSize) || 18;
    return { size: size, css: style.fontWeight + " " + size + "px " + style.fontFamily };
  }
  function widthOf(text) {
    measure.font = font.css;
    return measure.measureText(text).width;
  }
  function labelWidth(step) {
    // The widest time label at this step: its seconds go on whole minutes.
    return widthOf(step < 60000 ? options.tick_sample : options.tick_sample.slice(0, 5));
  }
  function trim(s, now) {
    var cut = 0;
    while (cut < s.t.length && s.t[cut] < now - options.window_ms) cut++;
    if (cut) { s.t.splice(0, cut); s.y.splice(0, cut); }
  }
  function labelValues(scale) {
    // New tick values (or a new size): new labels, and the margin their widths need.
    var em = font.size, label = valueLabels(ctx.numberLocale, scale.step, Math.max(Math.abs(scale.lo), Math.abs(scale.hi)));
    var texts = scale.ticks.map(label);
    var left = Math.ceil(Math.max.apply(null, texts.map(widthOf).concat([0])) + 0.9 * em);
    area = frame(box.w, box.h, em, left);
    yAxis.replaceChildren();
    yNodes = texts.map(function (text) {
      var line = node("line", { x1: String(left), x2: String(left + area.w) }, yAxis);
      var n = node("text", { x: String(left - 0.4 * em), "text-anchor": "end", "dominant-baseline": "central" }, yAxis);
      n.textContent = text;
      return { line: line, text: n };
    });
    ["x", "y", "width", "height"].forEach(function (key, i) {
      setAttr(plot, key, String([area.left, area.top, area.w, area.h][i]));
    });
    el.drawn.yTicks = texts;
  }
  function placeValues(scale) {
    // The domain follows the data: labels and bands move, written only where they changed.
    var y = function (v) { return area.h - (v - scale.lo) * area.h / (scale.hi - scale.lo); };
    scale.ticks.forEach(function (v, i) {
      var at = (area.top + y(v)).toFixed(1);
      setAttr(yNodes[i].line, "y1", at); setAttr(yNodes[i].line, "y2", at); setAttr(yNodes[i].text, "y", at);
    });
    bands.forEach(function (b) {
      var top = Math.max(-1, Math.min(area.h + 1, y(b.band.to)));
      var bottom = Math.max(-1, Math.min(area.h + 1, y(b.band.from_)));
      setAttr(b.rect, "y", top.toFixed(1));
      setAttr(b.rect, "width", String(area.w));
      setAttr(b.rect, "height", Math.max(0, bottom - top).toFixed(1));
    });
    return y;
  }
  function drawTimeAxis(t0, now) {
    var em = font.size, step = timeStep(options.window_ms, area.w, labelWidth, em);
    var ticks = timeTicks(t0, now, step, offsetOf), perMs = area.w / options.window_ms;
    var key = ticks.join() + "|" + step + "|" + area.w + "|" + area.h + "|" + area.left;
    if (key !== shownX) {
      // The tick set changed (one scrolled out, or the size): labels placed from the first tick,
      // so a later draw only moves the group.
      shownX = key;
      xAxis.replaceChildren();
      xTicks = ticks.map(function (t) {
        var x = ((t - ticks[0]) * perMs).toFixed(1), text = timeLabel(t, step);
        node("line", { x1: x, x2: x, y1: String(area.top), y2: String(area.top + area.h) }, xAxis);
        var n = node("text", { x: x, y: String(area.top + area.h + 1.45 * em), "text-anchor": "middle" }, xAxis);
        n.textContent = text;
        return { t: t, node: n, half: widthOf(text) / 2, text: text };
      });
      el.drawn.xTicks = xTicks.map(function (x) { return x.text; });
    }
    if (!ticks.length) return;
    setAttr(xAxis, "transform", "translate(" + (area.left + (ticks[0] - t0) * perMs).toFixed(1) + " 0)");
    xTicks.forEach(function (x) {
      // A label that would be cut by the chart's edges is not shown.
      var centre = area.left + (x.t - t0) * perMs;
      setAttr(x.node, "visibility", centre - x.half >= 0 && centre + x.half <= box.w ? "visible" : "hidden");
    });
  }
  function windowEnd(now) {
    // The window ends at the newest point (as Plotly's axis did), not at the instant of the
    // draw: a span's slices draw when each is shown or resized, at instants apart, and must
    // draw the same picture (issue 23); the data they hold is the same. Never past the shared
    // clock's now: a point stamped in the future (a source's clock ahead) does not push the
    // window off the others.
    var newest = -Infinity;
    series.forEach(function (s) { if (s.t.length) newest = Math.max(newest, s.t[s.t.length - 1]); });
    return Math.min(newest, now) > -Infinity ? Math.min(newest, now) : now;
  }
  function draw() {
    timer = null;
    lastDraw = Date.now(); // a failing draw is retried at the same pace, not in a loop
    if (!box.w || !box.h) return; // hidden: drawn when shown again (the resize observer)
    if (!font) { font = fontOf(); shownY = ""; }
    var end = windowEnd(tick || ctx.now()), t0 = end - options.window_ms;
    tick = 0;
    series.forEach(function (s) { trim(s, end); });
    var range = extent(series.map(function (s) { return s.y; })) || [0, 1];
    // As many value labels as fit an em apart (1.2 em tall each), the ends included.
    var count = fitCount(frame(box.w, box.h, font.size, 0).h, 1.2 * font.size, font.size) + 1;
    var scale = valueScale(range[0], range[1], count, options.style === "area");
    var key = scale.ticks.join() + "|" + box.w + "x" + box.h + "|" + font.css;
    if (key !== shownY) { shownY = key; labelValues(scale); shownX = ""; }
    var yScale = placeValues(scale);
    drawTimeAxis(t0, end);
    var perMs = area.w / options.window_ms;
    var x = function (t) { return (t - t0) * perMs; };
    var base = Math.max(0, Math.min(area.h, yScale(0)));
    drawn.forEach(function (d, i) {
      var path = linePath(series[i].t, series[i].y, x, yScale);
      setAttr(d.line, "d", path);
      if (d.area) setAttr(d.area, "d", areaPath(path, base));
    });
    el.drawn.series = series.map(function (s) { return { t: s.t.slice(), y: s.y.slice() }; });
  }
  var guardedDraw = guard("draw", draw);
  function schedule() {
    if (timer) return;
    var wait = Math.max(0, minGap - (Date.now() - lastDraw));
    if (ctx.inStep && ctx.inStep()) {
      // On a span (issue 23) every slice redraws on the same ticks of the gateway's clock: the
      // next multiple of minGap (one draw per tick at most, as the timer is one at a time), and
      // draws the window ending at that tick, so the slices' lines meet across the bezel.
      var now = ctx.now();
      tick = (Math.floor(now / minGap) + 1) * minGap;
      el.dataset.drawTick = String(tick);
      wait = tick - now;
    }
    timer = setTimeout(guardedDraw, wait);
  }
  function resized(entries) {
    // Sizes in the layout's px (a span's joint canvas), not the scaled screen: every slice of a
    // span and the whole-canvas page draw the same picture.
    var rect = entries[entries.length - 1].contentRect;
    if (rect.width === box.w && rect.height === box.h) return;
    box = { w: rect.width, h: rect.height };
    font = null;
    schedule();
  }
  if (window.ResizeObserver) new ResizeObserver(guard("resize", resized)).observe(host);
  if (document.fonts && document.fonts.ready) {
    // Labels measured before the wall's font arrived would be spaced for the fallback font.
    document.fonts.ready.then(guard("fonts", function () { font = null; schedule(); }));
  }
  return {
    feeds: options.series.map(function (s) { return s.feed; }),
    push: function (feed, entry) {
      options.series.forEach(function (spec, i) {
        var value = entry.fields[spec.field];
        if (spec.feed !== feed || !plottable(value) || !isFinite(entry.asof)) return;
        // A point stamped beyond the next window cannot be drawn before it has been trimmed.
        if (entry.asof > ctx.now() + options.window_ms) return;
        var s = series[i];
        s.t.push(entry.asof); s.y.push(value);
        // A chart on a hidden layout is not drawn for as long as it stays hidden (a scene held
        // for days): what it keeps stays within the window.
        trim(s, Math.min(ctx.now(), s.t[s.t.length - 1]));
      });
    },
    render: schedule,
  };
}
