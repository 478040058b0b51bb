/* table: replaces the body rows with the latest list carried by the entry. */
(window.opswallTiles = window.opswallTiles || {}).table = {
  mount: function (el, options, ctx) {
    var body = el.querySelector("tbody");
    var rows = null;
    function bound(row, b) { return typeof b === "string" ? row[b] : b; }
    function levelOf(row, levels, value) {
      if (!levels || typeof value !== "number") return null;
      var warning = bound(row, levels.warning), critical = bound(row, levels.critical);
      if (typeof warning !== "number" || typeof critical !== "number") return null;
      return window.opswallTiles.kpi.level(value, { direction: levels.direction, warning: warning, critical: critical });
    }
    function cell(row, column) {
      var value = row[column.key];
      var td = document.createElement("td");
      td.className = "col-" + column.format;
      if (value === undefined || value === null) td.textContent = "—";
      else if (column.format === "number" && typeof value === "number") td.textContent = ctx.number(value, column.decimals);
      else if (column.format === "percent" && typeof value === "number") td.textContent = ctx.number(value, column.decimals) + " %";
      else if (column.format === "time") td.textContent = ctx.time(typeof value === "number" ? value : Date.parse(value));
      else td.textContent = String(value);
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
  },
};
