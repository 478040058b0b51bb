/* bar: ranks the rows of the latest list and draws the top (or bottom) N as horizontal bars. */
import { fetchJson } from "../static/lib/fetch-json.js";
import { provinceNames } from "../static/lib/geo.js";

export function mount(el, options, ctx, guard) {
  var list = el.querySelector("[data-role=bars]");
  var rows = null, names = {};
  if (options.names_from) {
    fetchJson(options.names_from).then(guard("render", function (geo) { // ends in the render hook's render
      names = provinceNames(geo, ctx.locale);
      render();
    }));
  }
  function render() {
    if (!rows) return;
    // Numbers sent as text (a CSV adapter's "21.5") rank as the numbers they write (issue 18).
    var ranked = rows.filter(function (r) { return r && ctx.toNumber(r[options.value]) !== null; })
      .map(function (r) { return { row: r, value: ctx.toNumber(r[options.value]) }; })
      .sort(function (a, b) { return options.order === "top" ? b.value - a.value : a.value - b.value; })
      .slice(0, options.top);
    var max = Math.max.apply(null, ranked.map(function (r) { return Math.abs(r.value); }).concat([1e-9]));
    var fragment = document.createDocumentFragment();
    ranked.forEach(function (ranking, i) {
      var row = ranking.row, key = String(row[options.key]), li = document.createElement("li");
      li.className = "bar-row" + (key === options.highlight ? " highlighted" : "");
      li.dataset.key = key;
      var rank = document.createElement("span"); rank.className = "bar-rank"; rank.textContent = String(i + 1);
      var name = document.createElement("span"); name.className = "bar-name"; name.textContent = names[key] || key;
      var track = document.createElement("span"); track.className = "bar-track";
      var fill = document.createElement("span"); fill.className = "bar-fill";
      fill.style.width = (Math.abs(ranking.value) / max * 100).toFixed(1) + "%";
      track.appendChild(fill);
      var value = document.createElement("span"); value.className = "bar-value";
      value.textContent = ctx.number(ranking.value, options.decimals);
      li.append(rank, name, track, value);
      fragment.appendChild(li);
    });
    list.replaceChildren(fragment);
    el.dataset.bars = String(ranked.length);
  }
  return {
    feeds: [options.feed],
    push: function (feed, entry) {
      var v = entry.fields[options.field];
      if (Array.isArray(v)) rows = v;
    },
    render: render,
    follow: function (key) { options.highlight = key || null; render(); },
  };
}