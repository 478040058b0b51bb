/* conference: bridge points in a 2x2, 3x3 or 1+5 grid. The large (or, in a grid, first and
 * outlined) site is, in order: the one the leader picked (scene variable `large_var`), the site of
 * the drilled province (`follows`), the speaking site (`follow_speaker`), the configured one.
 * Only the site named by `audio_var` is heard; every other pane stays muted. */
import { Pane } from "../static/wall/video-panes.js";

export function mount(el, options, ctx) {
  var grid = el.querySelector(".conference-grid");
  var tileId = el.dataset.tile;
  var panes = {};
  var order = options.sites.map(function (site) { return site.site; });
  var shown = false, vars = {}, speaker = null;
  options.sites.forEach(function (site) {
    var node = grid.querySelector('.video-pane[data-site="' + site.site + '"]');
    var pane = new Pane(node, site, ctx, { tile: tileId });
    pane.onSpeaking = function (p, speaking) {
      if (speaking) speaker = p.source.site;
      else if (speaker === p.source.site) speaker = null;
      if (options.follow_speaker) arrange();
    };
    panes[site.site] = pane;
  });

  function siteOfProvince(code) {
    var found = options.sites.filter(function (s) { return s.province !== null && String(s.province) === String(code); })[0];
    return found ? found.site : null;
  }

  function largeSite() {
    var picked = vars[options.large_var];
    if (picked !== undefined && panes[picked]) return String(picked);
    var follows = el.dataset.follows;
    var province = follows ? vars[follows] : null;
    if (province !== undefined && province !== null && siteOfProvince(province)) return siteOfProvince(province);
    if (options.follow_speaker && speaker) return speaker;
    return options.large;
  }

  var columns = options.layout === "2x2" ? 2 : 3;
  function arrange() {
    var large = largeSite();
    // Grids shrink to the rows their sites fill: two sites in a 2x2 use the whole height.
    if (options.layout !== "1+5") {
      var rows = Math.max(1, Math.ceil(Math.min(order.length, options.cells) / columns));
      grid.style.gridTemplateRows = "repeat(" + rows + ", 1fr)";
    }
    var audio = vars[options.audio_var];
    var sequence = [large].concat(order.filter(function (s) { return s !== large; }));
    grid.dataset.large = large || "";
    grid.dataset.audio = audio === undefined || audio === null ? "" : String(audio);
    sequence.forEach(function (site, index) {
      var pane = panes[site];
      if (!pane) return;
      var inView = index < options.cells;
      pane.el.style.order = String(index);
      pane.el.classList.toggle("is-large", site === large);
      pane.el.hidden = !inView;
      pane.setAudible(String(audio) === site);
      if (shown && inView) pane.start(); else pane.stop();
    });
  }

  return {
    feeds: [],
    push: function () {},
    render: function () {},
    visible: function (isShown) { shown = isShown; arrange(); },
    vars: function (next) { vars = next || {}; arrange(); },
    unmount: function () { Object.keys(panes).forEach(function (site) { panes[site].destroy(); }); },
    panes: panes,
  };
}