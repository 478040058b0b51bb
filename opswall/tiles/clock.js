/* clock: local time in each configured zone, and the date; needs no feed. Its tick asks for the
 * next second or minute, whichever it shows, and writes only what changed (issue 22). */
import { setText } from "../static/lib/dom.js";

export function mount(el, options, ctx) {
  var cells = el.querySelectorAll("[data-role=time]");
  var dateEl = el.querySelector("[data-role=date]");
  var formats = Array.prototype.map.call(cells, function (cell) {
    return new Intl.DateTimeFormat(ctx.numberLocale, {
      timeZone: cell.dataset.tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      second: options.seconds ? "2-digit" : undefined,
    });
  });
  var dateFormat = new Intl.DateTimeFormat(ctx.numberLocale, {
    timeZone: options.zones[0], weekday: "long", day: "numeric", month: "long", year: "numeric",
  });
  var step = options.seconds ? 1000 : 60000;
  // A tick shows the instant it was called for: the page's clock of the gateway may have moved
  // back a little since the wake was set, and must not show the second before (issue 22).
  function show(ms) {
    var now = new Date(ms);
    formats.forEach(function (format, i) { setText(cells[i], format.format(now)); });
    if (options.date) setText(dateEl, dateFormat.format(now));
    return ms - (ms % step) + step; // when the text it shows next changes
  }
  function render() { return show(ctx.now()); }
  return { feeds: [], push: function () {}, render: render, tick: show };
}
