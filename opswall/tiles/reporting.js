/* reporting: the completeness summary a `reporting` feed carries, as counts and an agency table. */
export function mount(el, options, ctx) {
  var summary = null;
  var body = el.querySelector("tbody");
  function cell(text, className, level) {
    var td = document.createElement("td");
    td.textContent = text;
    if (className) td.className = className;
    if (level) { td.dataset.level = level; td.classList.add("level-" + level); }
    return td;
  }
  function isRow(row) { return row !== null && typeof row === "object"; }
  function draw() {
    if (!summary) return;
    var connected = el.querySelector('[data-role="connected"]');
    connected.textContent = ctx.number(summary.connected, 0) + "/" + ctx.number(summary.total, 0);
    el.dataset.connected = String(summary.connected);
    el.dataset.total = String(summary.total);
    options.states.forEach(function (state) {
      el.querySelector('[data-role="' + state + '"]').textContent = ctx.number(summary[state] || 0, 0);
      el.setAttribute("data-" + state.replace("_", "-"), String(summary[state] || 0));
    });
    var fragment = document.createDocumentFragment();
    summary.agencies.filter(isRow).slice(0, options.max_rows).forEach(function (row) {
      var tr = document.createElement("tr");
      tr.dataset.agency = String(row.agency);
      var name = String((ctx.locale === "en" ? row.name_en : row.name_vi) || row.agency);
      tr.appendChild(cell(name, "col-text"));
      options.states.forEach(function (state) {
        var level = row[state] > 0 ? { late: "warning", missing: "critical" }[state] : null;
        tr.appendChild(cell(ctx.number(row[state] || 0, 0), "col-number", level));
      });
      tr.appendChild(cell(row.last_ms ? ctx.when(row.last_ms) : "—", "col-time"));
      fragment.appendChild(tr);
    });
    // Rows that do not fit even at the smallest type are hidden whole by the core's fit
    // (static/wall/fit.js): the most overdue, first, stay.
    body.replaceChildren(fragment);
    el.dataset.rows = String(body.children.length);
  }
  return {
    feeds: [options.feed],
    push: function (feed, entry) {
      if (typeof entry.fields.connected === "number" && Array.isArray(entry.fields.agencies)) summary = entry.fields;
    },
    render: function () { draw(); },
  };
}
