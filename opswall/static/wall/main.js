/* opswall wall-screen client: the entry the page loads (/_opswall/<version>/wall.js calls start with every
 * registered tile type's module).
 *
 * One websocket per screen (link.js). Entries are applied in requestAnimationFrame straight to
 * the tiles' leaf elements (paint.js): no server callback and no React re-render per update
 * (Dash only renders the layout). Tiles are mounted and isolated by tile-host.js under the
 * contract in contract.js (docs/tiles.md); screen.js follows the layout the gateway says the
 * screen shows.
 */
import { checkLayout, watchForFirstLayout } from "./screen.js";
import { startFleet, startLink } from "./link.js";
import { startScreenCare } from "./screen-care.js";
import { state } from "./state.js";

/** Runs the screen client; `tileTypes` maps each tile type's name to its module. */
export function start(tileTypes) {
  state.tileTypes = tileTypes;
  // No periodic tick (issue 22): observers mount the layout, frames and heartbeats drive the
  // link, and paint.js wakes the page only when a shown text changes.
  startLink();
  watchForFirstLayout();
  // ?nofleet: a page that does not report (bench/fleet_cost.py measures what reports cost).
  // A replay (?at=) reports nothing: it is no screen of the wall.
  if (!/[?&](nofleet\b|at=)/.test(location.search)) startFleet();
  state.care = startScreenCare(state);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", checkLayout);
  else checkLayout();
}
