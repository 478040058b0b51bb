/* clock: local time in each configured zone, and the date; needs no feed. */
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
  function render() {
    var now = new Date(ctx.now());
    formats.forEach(function (format, i) { cells[i].textContent = format.format(now); });
    if (options.date) dateEl.textContent = dateFormat.format(now);
  }
  return { feeds: [], push: function () {}, render: render, tick: render };
}
