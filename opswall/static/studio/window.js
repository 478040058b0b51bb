// The preview window (/admin/layout/preview/window/<draft>): one layout of a studio draft
// drawn at its screen's aspect ratio, with its feeds' latest values, on no physical screen.
// It reads the draft the server keeps while the studio that opened it renews it, and says so
// once that draft has lapsed (the studio closed or ended it). Debug handle: none.

import { drawBoard, showValues } from "./board.js";

const root = document.getElementById("st-window");
const model = JSON.parse(root.dataset.model);
const board = document.getElementById("st-board");
const EVERY_MS = 3000; // a preview, not a live wall: the draft and values every few seconds
let drawn = "";

async function json(path) {
  const reply = await fetch(path, { cache: "no-store" }).catch(() => null);
  if (!reply) return [0, null];
  return [reply.status, await reply.json().catch(() => null)];
}

function ended() {
  root.dataset.ended = "true";
  board.replaceChildren();
  const state = document.getElementById("st-window-state");
  state.hidden = false;
  state.textContent = model.words.studio_window_ended;
}

async function refresh() {
  const screen = encodeURIComponent(model.screen);
  const [status, answer] = await json(`/admin/layout/preview/window/${model.draft}/layout?screen=${screen}`);
  if (status === 410) return ended(); // the draft lapsed: nothing more to show
  if (answer && answer.layout) {
    const text = JSON.stringify(answer.layout);
    if (text !== drawn) {
      drawn = text;
      drawBoard(board, answer.layout, { readOnly: true });
      document.getElementById("st-window-title").textContent = `${answer.layout.id} — ${answer.layout.title}`;
      root.dataset.screen = answer.layout.id;
    }
    const [, values] = await json("/admin/layout/values");
    showValues(board, (values && values.values) || {});
  }
  setTimeout(refresh, EVERY_MS);
}

refresh();
