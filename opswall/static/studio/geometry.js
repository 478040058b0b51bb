// Grid geometry of the layout studio: pure functions on `at` ({col, row, w, h}, 1-based cells)
// and grids ({cols, rows}). No DOM here: tests/js/studio.test.mjs runs them under node --test.

/** A pointer's travel in pixels as whole cells (nearest), for cells `cellPx` wide. */
export function snap(deltaPx, cellPx) {
  if (!(cellPx > 0)) return 0;
  return Math.round(deltaPx / cellPx) || 0; // never -0
}

/** True when two placements share at least one cell. */
export function overlaps(a, b) {
  return a.col < b.col + b.w && b.col < a.col + a.w && a.row < b.row + b.h && b.row < a.row + a.h;
}

/** True when the placement lies wholly inside the grid. */
export function inside(at, grid) {
  return at.col >= 1 && at.row >= 1 && at.w >= 1 && at.h >= 1 &&
    at.col + at.w - 1 <= grid.cols && at.row + at.h - 1 <= grid.rows;
}

/** `at` moved by whole cells, kept inside the grid (its size unchanged). */
export function moved(at, dCols, dRows, grid) {
  const col = Math.min(Math.max(1, at.col + dCols), Math.max(1, grid.cols - at.w + 1));
  const row = Math.min(Math.max(1, at.row + dRows), Math.max(1, grid.rows - at.h + 1));
  return { ...at, col, row };
}

/** `at` resized from its bottom-right corner by whole cells: at least one cell, inside the grid. */
export function resized(at, dCols, dRows, grid) {
  const w = Math.min(Math.max(1, at.w + dCols), grid.cols - at.col + 1);
  const h = Math.min(Math.max(1, at.h + dRows), grid.rows - at.row + 1);
  return { ...at, w, h };
}

/** May `tile` stand at `at`: inside the grid and over no other tile? */
export function fits(at, tileId, tiles, grid) {
  return inside(at, grid) && tiles.every((other) => other.id === tileId || !overlaps(at, other.at));
}

/** The same placement (all four numbers equal)? */
export function sameAt(a, b) {
  return a.col === b.col && a.row === b.row && a.w === b.w && a.h === b.h;
}

/** The first free place of `w`×`h` cells, row by row (shrinking to 1×1 when none); or null. */
export function firstFree(tiles, grid, w, h) {
  for (const [width, height] of [[w, h], [1, 1]]) {
    for (let row = 1; row + height - 1 <= grid.rows; row += 1) {
      for (let col = 1; col + width - 1 <= grid.cols; col += 1) {
        const at = { col, row, w: width, h: height };
        if (tiles.every((tile) => !overlaps(at, tile.at))) return at;
      }
    }
  }
  return null;
}
