/* text: a feed's latest text, as a safe subset of markdown (config markdown is rendered by the
 * server). Everything is escaped first, so a feed can never put its own markup on the wall. */
export function escape(s) {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

export function markdown(source) {
  var inline = function (line) {
    return line.replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>").replace(/\*(.+?)\*/g, "<em>$1</em>");
  };
  var html = [], list = false;
  escape(source).split("\n").forEach(function (line) {
    var item = /^\s*[-*] (.*)$/.exec(line);
    if (item && !list) { html.push("<ul>"); list = true; }
    if (!item && list) { html.push("</ul>"); list = false; }
    if (item) html.push("<li>" + inline(item[1]) + "</li>");
    else if (line.trim()) html.push("<p>" + inline(line) + "</p>");
  });
  if (list) html.push("</ul>");
  return html.join("");
}

export function mount(el, options) {
  var target = el.querySelector("[data-role=text]"), latest = null;
  return {
    feeds: options.feed ? [options.feed] : [],
    push: function (feed, entry) {
      var v = entry.fields[options.field];
      if (v !== undefined && v !== null) latest = String(v);
    },
    render: function () { if (target && latest !== null) target.innerHTML = markdown(latest); },
  };
}