/* kpi: writes the value, its change vs the previous value, and the as-of time. */
(window.opswallTiles = window.opswallTiles || {}).kpi = {
  mount: function (el, options, ctx) {
    var valueEl = el.querySelector("[data-role=value]");
    var deltaEl = el.querySelector("[data-role=delta]");
    var asofEl = el.querySelector("[data-role=asof]");
    var latest = null, previous = null, shownLength = 0;
    function fit() {
      // Shrink the figure only when it would overflow its tile; measured when its length changes.
      valueEl.style.fontSize = "";
      var room = valueEl.parentElement.clientWidth, need = valueEl.scrollWidth;
      if (need > room && room > 0) {
        var size = parseFloat(getComputedStyle(valueEl).fontSize);
        valueEl.style.fontSize = Math.floor(size * room / need * 0.97) + "px";
      }
    }
    return {
      feeds: [options.feed],
      push: function (feed, entry) {
        var value = entry.fields[options.field];
        if (typeof value !== "number") return; // not this tile's field: keep the last value
        if (latest) previous = latest;
        latest = { value: value, asof: entry.asof };
      },
      render: function () {
        if (!latest) return;
        var text = ctx.number(latest.value, options.decimals);
        valueEl.textContent = text;
        if (text.length !== shownLength) { shownLength = text.length; fit(); }
        valueEl.dataset.value = String(latest.value);
        asofEl.textContent = ctx.msg("asof") + " " + ctx.time(latest.asof);
        if (previous) {
          var change = latest.value - previous.value;
          var sign = change > 0 ? "up" : change < 0 ? "down" : "flat";
          var arrow = { up: "▲ +", down: "▼ −", flat: "■ " }[sign];
          deltaEl.textContent = arrow + ctx.number(Math.abs(change), options.decimals);
          deltaEl.dataset.trend = sign;
        }
      },
    };
  },
};
