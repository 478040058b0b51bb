/* table: replaces the body rows with the latest list carried by the entry. */
import { thresholdLevel } from "./kpi.js";

export function mount(el, options, ctx) {
  var body = el.querySelector("tbody");
  var rows = null;
  // A bound names a field of the row (its own alarm level) or is a number; a CSV adapter
  // sends numbers as text ("21.5"), read as the numbers they write (issue 18).
  function bound(row, b) { return ctx.toNumber(typeof b === "string" ? row[b] : b); }
  function levelOf(row, levels, raw) {
    var value = ctx.toNumber(raw);
    if (!levels || value === null) return null;
    var warning = bound(row, levels.warning), critical = bound(row, levels.critical);
    if (warning === null || critical === null) return null;
    return thresholdLevel(value, { direction: levels.direction, warning: warning, critical: critical });
  }
  // Anything a column cannot show (text in a number column, a time that is no date) reads as
  // the context's invalid mark, never as an exception (issue 17).
  function text(value, column) {
    if (value === undefined || value === null) return "—";
    if (column.format === "number") return ctx.number(value, column.decimals);
    if (column.format === "percent") {
      var share = ctx.number(value, column.decimals);
      return share === ctx.invalid ? share : share + " %";
    }
    if (column.format === "time") return ctx.time(typeof value === "string" ? Date.parse(value) : value);
    return String(value);
  }
  function cell(row, column) {
    var value = row[column.key];
    var td = document.createElement("td");
    td.className = "col-" + column.format;
    td.textContent = text(value, column);
    var level = levelOf(row, column.levels, value);
    if (level) { td.dataset.level = level; td.classList.add("level-" + level); }
    return td;
  }
  return {
    feeds: [options.feed],
    push: function (feed, entry) {
      var list = entry.fields[options.field];
      if (Array.isArray(list)) rows = list;
    },
    render: function () {
      if (!rows) return;
      var fragment = document.createDocumentFragment();
      rows.slice(0, options.max_rows).forEach(function (row) {
        if (row === null || typeof row !== "object") return;
        var tr = document.createElement("tr");
        options.columns.forEach(function (column) { tr.appendChild(cell(row, column)); });
        fragment.appendChild(tr);
      });
      body.replaceChildren(fragment);
      el.dataset.rows = String(body.children.length);
    },
  };
}
