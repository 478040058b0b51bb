/* ticker: the latest N items, newest first, scrolled by a CSS animation (no timer per frame). */
export function mount(el, options, ctx) {
  var track = el.querySelector("[data-role=track]"), items = [];
  return {
    feeds: [options.feed],
    push: function (feed, entry) {
      var text = entry.fields[options.field];
      if (text === undefined || text === null) return;
      var area = entry.fields.area ? String(entry.fields.area) + ": " : "";
      items.unshift({ text: area + String(text), at: entry.asof });
      if (items.length > options.items) items.length = options.items;
    },
    render: function () {
      var fragment = document.createDocumentFragment();
      items.forEach(function (item) {
        var span = document.createElement("span");
        span.className = "ticker-item";
        var time = document.createElement("b");
        time.textContent = ctx.time(item.at).slice(0, 5) + " ";
        span.append(time, document.createTextNode(item.text));
        fragment.appendChild(span);
      });
      track.replaceChildren(fragment);
      el.dataset.items = String(items.length);
      // Duration from length, so the speed stays the same however much text there is.
      track.style.animationDuration = Math.max(5, (track.scrollWidth + track.parentElement.clientWidth) / options.speed) + "s";
    },
  };
}
