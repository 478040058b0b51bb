/* Burn-in care on a wall page (issue 21): the whole canvas moves a few pixels now and then and
 * is dimmed at night, as the view the gateway sends says (`view.care`: dx, dy, dim; computed by
 * the pure view function from wall.care and the wall's clock, the same on every screen).
 *
 * Self-contained and read-only towards the page's client: it reads window.opswall.view and
 * writes two style properties of the screen's root. main.js starts it; the page calls what it
 * returns when a view frame arrives or a new root is mounted. No timer (issue 22): the care only
 * changes with the view.
 */

export function startScreenCare(state) {
  var applied = "";
  function apply() {
    var root = document.getElementById("wall-screen");
    var care = (state.view && state.view.care) || { dx: 0, dy: 0, dim: 1 };
    var wanted = care.dx + "," + care.dy + "," + care.dim;
    if (!root || (wanted === applied && root.dataset.care === wanted)) return;
    root.style.transform = care.dx || care.dy ? "translate(" + care.dx + "px, " + care.dy + "px)" : "";
    root.style.filter = care.dim < 1 ? "brightness(" + care.dim + ")" : "";
    root.dataset.care = wanted;
    applied = wanted;
  }
  return apply;
}
