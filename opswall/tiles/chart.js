/* chart: keeps each series' rolling window and appends new points with Plotly.extendTraces.
 * Redraws are capped at MAX_HZ per chart; a chart (re)appearing gets its whole window at once. */
const MAX_HZ = 4;
// Plotly's axis scaling throws on spans near the ends of the double range (5e-324 next to 0,
// say), and then on every later redraw: such a point cannot be drawn and is left out.
function plottable(v) {
  var size = Math.abs(v);
  return typeof v === "number" && (size === 0 || (size >= 1e-300 && size <= 1e300));
}

export function mount(el, options, ctx, guard) {
  var minGap = 1000 / MAX_HZ;
  var series = options.series.map(function () { return { x: [], y: [], t: [], nx: [], ny: [] }; });
  var gd = null, lastDraw = 0, timer = null, tzOffset = offsetOf(Date.now());
  function offsetOf(ms) {
    // Plotly shows date numbers as UTC: shift them so the axis reads in the wall's zone.
    var parts = new Intl.DateTimeFormat("en-US", {
      timeZone: ctx.tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric",
      hour: "numeric", minute: "numeric", second: "numeric",
    }).formatToParts(new Date(ms));
    var v = {};
    parts.forEach(function (p) { v[p.type] = Number(p.value); });
    var asUtc = Date.UTC(v.year, v.month - 1, v.day, v.hour, v.minute, v.second);
    return asUtc - Math.floor(ms / 1000) * 1000;
  }
  function wallTime(ms) {
    // "YYYY-MM-DD HH:MM:SS.sss" in the wall's zone: plotly.js 4 date axes take strings.
    return new Date(ms + tzOffset).toISOString().slice(0, 23).replace("T", " ");
  }
  var measure = document.createElement("canvas").getContext("2d"), fitted = "", fittedSize = "", refits = 0;
  // Plotly's own tick count assumes short labels: "13:32:00" labels in a small tile ran into
  // each other. As many ticks as labels fit side by side, an em apart, recounted whenever the
  // plot's size changes (issue 18). nticks is a maximum: Plotly rounds the step up. Labels stay
  // level (tickangle 0): turned ones would eat a small chart's height.
  function fitTicks(gd) {
    var size = gd._fullLayout._size, font = gd._fullLayout.font;
    if (!size || !font) return;
    fittedSize = size.w + "x" + size.h;
    measure.font = font.size + "px " + font.family;
    var label = measure.measureText(options.tick_sample).width + font.size;
    var x = Math.max(2, Math.floor(size.w / label)), y = Math.max(2, Math.floor(size.h / (font.size * 2.5)));
    // Digits grouped (42.230,5) up to a size a person reads; beyond it, 1,5e+300, not 301 digits.
    var range = gd._fullLayout.yaxis.range || [0, 0];
    var format = Math.max(Math.abs(range[0]), Math.abs(range[1])) < 1e15 ? ",~r" : "~e";
    if ([x, y, format].join() === fitted) return;
    fitted = [x, y, format].join();
    Plotly.relayout(gd, { "xaxis.nticks": x, "yaxis.nticks": y, "yaxis.tickformat": format, "yaxis.hoverformat": format });
  }
  function trim(s, now) {
    var cut = 0;
    while (cut < s.t.length && s.t[cut] < now - options.window_ms) cut++;
    if (cut) { s.t.splice(0, cut); s.x.splice(0, cut); s.y.splice(0, cut); }
  }
  function draw() {
    timer = null;
    var el2 = el.querySelector(".js-plotly-plot");
    if (!el2 || !window.Plotly || !el2._fullLayout) { timer = setTimeout(guardedDraw, 200); return; }
    var now = ctx.now();
    series.forEach(function (s) { trim(s, now); });
    var whole = el2 !== gd;
    gd = null; // until this draw succeeds: after a failed one the next sends the whole window
    lastDraw = Date.now(); // a failing draw is retried at the same pace, not in a loop
    if (whole) {
      // First draw, or Dash re-rendered the graph: send the whole window (and fit its ticks).
      fitted = "";
      // Plotly re-lays the plot out on its own (its responsive resize comes after the tile's
      // ResizeObserver): the ticks are recounted after each of its plots too, or a plot grown
      // or shrunk later keeps the count of its old size (labels run into each other).
      // Only when the plot's size changed since the last count, and at most twice between two
      // draws: a recount that moves the margins must not start a relayout loop.
      if (el2.on) el2.on("plotly_afterplot", function () {
        var size = el2._fullLayout && el2._fullLayout._size;
        if (!size || refits >= 2 || size.w + "x" + size.h === fittedSize) return;
        refits++;
        fitTicks(el2);
      });
      Plotly.restyle(el2, { x: series.map(function (s) { return s.x.slice(); }),
                            y: series.map(function (s) { return s.y.slice(); }) });
    } else {
      var idx = [], ux = [], uy = [], keep = [];
      series.forEach(function (s, i) {
        if (!s.nx.length) return;
        idx.push(i); ux.push(s.nx); uy.push(s.ny); keep.push(Math.max(1, s.t.length));
      });
      if (idx.length) Plotly.extendTraces(el2, { x: ux, y: uy }, idx, { x: keep, y: keep });
    }
    series.forEach(function (s) { s.nx = []; s.ny = []; });
    refits = 0;
    fitTicks(el2);
    gd = el2;
  }
  var guardedDraw = guard("draw", draw);
  function schedule() {
    if (timer) return;
    var wait = Math.max(0, minGap - (Date.now() - lastDraw));
    if (ctx.inStep && ctx.inStep()) {
      // On a span (issue 23) every slice redraws on the same ticks of the gateway's clock: the
      // next multiple of minGap (one draw per tick at most, as the timer is one at a time).
      var now = ctx.now(), tick = (Math.floor(now / minGap) + 1) * minGap;
      el.dataset.drawTick = String(tick);
      wait = tick - now;
    }
    timer = setTimeout(guardedDraw, wait);
  }
  if (window.ResizeObserver) new ResizeObserver(schedule).observe(el);
  return {
    feeds: options.series.map(function (s) { return s.feed; }),
    push: function (feed, entry) {
      options.series.forEach(function (spec, i) {
        var value = entry.fields[spec.field];
        if (spec.feed !== feed || !plottable(value)) return;
        var s = series[i], x = wallTime(entry.asof);
        s.t.push(entry.asof); s.x.push(x); s.y.push(value);
        s.nx.push(x); s.ny.push(value);
        // A chart on a hidden layout is not drawn for as long as it stays hidden (a scene held
        // for days): its window and the points waiting to be drawn stay within the window.
        trim(s, ctx.now());
        if (s.nx.length > s.t.length) {
          s.nx.splice(0, s.nx.length - s.t.length); s.ny.splice(0, s.ny.length - s.t.length);
        }
      });
    },
    render: schedule,
    // The zone's offset is looked up again each minute (the core calls tick when asked).
    tick: function (now) {
      tzOffset = offsetOf(now);
      return now - (now % 60000) + 60000;
    },
  };
}