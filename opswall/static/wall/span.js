/* A layout across several screens (issue 23): the page's root becomes the span's whole canvas
 * (bezel gaps included) moved so this screen's slice fills the viewport, with one panel's
 * viewport units, so every slice, and a page showing the whole canvas (`?canvas`), lay it out
 * alike. The server draws the first paint the same way (config/spans.py, `span_style`). A
 * viewport of another size than the panel's (a miniature in an iframe, a preview of `?canvas` on
 * a desk monitor) gets the same picture scaled to fit. */

const PROPS = ["width", "height", "translate", "scale", "transform-origin", "--vw", "--vh", "--vmin",
  "--slice-x", "--slice-y"];

/** The root's style for a slice (`wire`: w, h, x, y of the canvas and the slice, pw, ph of a
 * panel; sw, sh of the slice: one panel, or the panels a screen's desktop covers), or for the
 * whole canvas when `whole`, in a viewport of `view` ({w, h}). */
export function spanStyle(wire, whole, view) {
  const x = whole ? 0 : wire.x, y = whole ? 0 : wire.y;
  const shown = whole ? { w: wire.w, h: wire.h } : { w: wire.sw || wire.pw, h: wire.sh || wire.ph };
  const s = view ? Math.min(view.w / shown.w, view.h / shown.h) : 1;
  const style = {
    width: wire.w + "px", height: wire.h + "px", translate: -x * s + "px " + -y * s + "px",
    "--vw": wire.pw / 100 + "px", "--vh": wire.ph / 100 + "px",
    "--vmin": Math.min(wire.pw, wire.ph) / 100 + "px",
    "--slice-x": x + "px", "--slice-y": y + "px",
  };
  if (Math.abs(s - 1) > 0.001) Object.assign(style, { scale: String(s), "transform-origin": "0 0" });
  return style;
}

let shownGrid = null;

/** Sizes and moves `root` for `grid` (the layout now shown); null when it spans nothing. */
export function applySpan(root, grid) {
  shownGrid = grid;
  const wire = grid && grid.dataset.span ? JSON.parse(grid.dataset.span) : null;
  const whole = /[?&]canvas\b/.test(location.search);
  const style = wire ? spanStyle(wire, whole, { w: window.innerWidth, h: window.innerHeight }) : {};
  PROPS.forEach((prop) => {
    const value = style[prop] || "";
    if (root.style.getPropertyValue(prop) !== value) root.style.setProperty(prop, value);
  });
  root.classList.toggle("wall-span", !!wire);
  const title = root.querySelector(".screen-title");
  if (title && title.dataset.ownTitle !== undefined) {
    const wanted = wire ? grid.dataset.title : title.dataset.ownTitle;
    if (title.textContent !== wanted) title.textContent = wanted;
  }
  return wire;
}

if (typeof window !== "undefined") { // (not under node --test)
  window.addEventListener("resize", () => {
    const root = document.getElementById("wall-screen");
    if (root && shownGrid && root.contains(shownGrid)) applySpan(root, shownGrid);
  });
}
