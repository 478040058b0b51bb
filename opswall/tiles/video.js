/* video: one pane (see static/wall/video-panes.js). It plays only while its layout is shown; with
 * `follows`, it switches to the site of the province the scene or the leader picked. */
import { Pane } from "../static/wall/video-panes.js";

export function mount(el, options, ctx) {
  var pane = new Pane(el.querySelector(".video-pane"), options.pane, ctx,
                                          { tile: el.dataset.tile });
  var choices = options.choices || {};
  return {
    feeds: [],
    push: function () {},
    render: function () {},
    visible: function (shown) { if (shown) pane.start(); else pane.stop(); },
    vars: function (vars) {
      var name = el.dataset.follows;
      if (!name) return;
      var value = vars[name];
      var pick = value !== undefined && value !== null ? choices[String(value)] : null;
      pane.play(pick || options.default || options.pane);
    },
    unmount: function () { pane.destroy(); },
    pane: pane,
  };
}