// The picture of one layout: its grid at the screen's aspect ratio and its tiles, moved by
// dragging and resized by their corner handle with pointer events (mouse, pen and touch
// alike), snapping to the grid; a position that would overlap another tile or leave the grid
// is refused while dragging (the tile stays at its last good place, marked `data-blocked`).
// From the keyboard: arrows move the focused tile by one cell, Shift+arrows resize it.

import { fits, moved, resized, sameAt, snap } from "./geometry.js";

/** Draw `layout` into `board`; `onChange()` after a tile's placement changed, `onSelect(id)`;
 * with `readOnly` the tiles are drawn only (no handles, no dragging). */
export function drawBoard(board, layout, handlers) {
  board.replaceChildren();
  const [width, height] = layout.aspect;
  board.style.aspectRatio = `${width} / ${height}`;
  // As wide as the column allows, and never taller than the window leaves room for.
  board.style.width = `min(100%, calc((100vh - 240px) * ${width} / ${height}))`;
  board.style.setProperty("--aspect", String(width / height));
  board.style.setProperty("--cols", String(layout.grid.cols));
  board.style.setProperty("--rows", String(layout.grid.rows));
  board.dataset.screen = layout.id;
  for (const tile of layout.tiles) board.append(tileElement(board, layout, tile, handlers));
  // A span's bezels (issue 23): where no screen draws, over the tiles, never in the way.
  for (const [x, y, w, h] of layout.bezels || []) {
    const bezel = document.createElement("span");
    bezel.className = "st-bezel";
    bezel.dataset.role = "bezel";
    Object.assign(bezel.style, { left: `${x * 100}%`, top: `${y * 100}%`, width: `${w * 100}%`, height: `${h * 100}%` });
    board.append(bezel);
  }
}

function tileElement(board, layout, tile, handlers) {
  const element = document.createElement("div");
  element.className = "st-tile";
  element.dataset.tile = tile.id;
  element.dataset.type = tile.type;
  if (!handlers.readOnly) {
    element.tabIndex = 0;
    element.setAttribute("role", "button");
  }
  const name = document.createElement("span");
  name.className = "st-tile-name";
  name.textContent = tile.title || tile.id;
  const kind = document.createElement("span");
  kind.className = "st-tile-type";
  kind.textContent = `${tile.id} · ${tile.type}`;
  const value = document.createElement("span");
  value.className = "st-tile-value";
  if (tile.options && typeof tile.options.feed === "string") value.dataset.feed = tile.options.feed;
  const handle = document.createElement("span");
  handle.className = "st-handle";
  handle.dataset.role = "resize";
  element.append(name, kind, value);
  place(element, tile.at, layout.grid);
  if (handlers.readOnly) return element; // the preview window: a picture, not an editor
  element.append(handle);
  element.addEventListener("pointerdown", (event) => {
    handlers.onSelect(tile.id);
    const mode = event.target === handle ? "resize" : "move";
    drag(event, { board, layout, tile, element, mode, onChange: handlers.onChange });
  });
  element.addEventListener("keydown", (event) => nudge(event, layout, tile, element, handlers));
  return element;
}

/** Put a tile element where `at` says, in percentages of the board. */
export function place(element, at, grid) {
  element.style.left = `${((at.col - 1) / grid.cols) * 100}%`;
  element.style.top = `${((at.row - 1) / grid.rows) * 100}%`;
  element.style.width = `${(at.w / grid.cols) * 100}%`;
  element.style.height = `${(at.h / grid.rows) * 100}%`;
}

function drag(event, state) {
  const { board, layout, tile, element, mode } = state;
  if (event.button !== undefined && event.button > 0) return;
  event.preventDefault();
  element.setPointerCapture(event.pointerId);
  const box = board.getBoundingClientRect();
  const cell = { w: box.width / layout.grid.cols, h: box.height / layout.grid.rows };
  const start = { x: event.clientX, y: event.clientY, at: { ...tile.at } };
  element.dataset.dragging = "true";
  const follow = (move) => {
    const dCols = snap(move.clientX - start.x, cell.w);
    const dRows = snap(move.clientY - start.y, cell.h);
    const shape = mode === "resize" ? resized : moved;
    const wanted = shape(start.at, dCols, dRows, layout.grid);
    const allowed = fits(wanted, tile.id, layout.tiles, layout.grid);
    element.dataset.blocked = String(!allowed && !sameAt(wanted, tile.at));
    if (allowed) {
      tile.at = wanted;
      place(element, wanted, layout.grid);
    }
  };
  const stop = new AbortController();
  const end = () => {
    stop.abort();
    delete element.dataset.dragging;
    delete element.dataset.blocked;
    if (!sameAt(start.at, tile.at)) state.onChange();
  };
  element.addEventListener("pointermove", follow, { signal: stop.signal });
  element.addEventListener("pointerup", end, { signal: stop.signal });
  element.addEventListener("pointercancel", end, { signal: stop.signal });
}

const ARROWS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

function nudge(event, layout, tile, element, handlers) {
  const step = ARROWS[event.key];
  if (!step) return;
  event.preventDefault();
  handlers.onSelect(tile.id);
  const wanted = (event.shiftKey ? resized : moved)(tile.at, step[0], step[1], layout.grid);
  if (sameAt(wanted, tile.at) || !fits(wanted, tile.id, layout.tiles, layout.grid)) return;
  tile.at = wanted;
  place(element, wanted, layout.grid);
  handlers.onChange();
}

/** Each tile's latest value, by the feed it reads (`values`: feed id -> short text). */
export function showValues(board, values) {
  for (const element of board.querySelectorAll(".st-tile-value[data-feed]")) {
    element.textContent = values[element.dataset.feed] || "";
  }
}
