/* text: shows a feed's latest text as plain text (config markdown is rendered by the server). */
(window.opswallTiles = window.opswallTiles || {}).text = {
  mount: function (el, options) {
    var target = el.querySelector("[data-role=text]"), latest = null;
    return {
      feeds: options.feed ? [options.feed] : [],
      push: function (feed, entry) {
        var v = entry.fields[options.field];
        if (v !== undefined && v !== null) latest = String(v);
      },
      render: function () { if (target && latest !== null) target.textContent = latest; },
    };
  },
};
