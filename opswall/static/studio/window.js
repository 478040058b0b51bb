// The preview window (/admin/layout/preview/window/<draft>): one layout of a studio draft on
// no physical screen, drawn by the wall page itself (/draft/<draft>/<layout>, framed here under
// the DRAFT banner) with live data. It asks every few seconds whether the draft is still kept
// (the studio that opened it renews it) and says so once it lapsed. Debug handle: none.

const root = document.getElementById("st-window");
const model = JSON.parse(root.dataset.model);
const frame = document.getElementById("st-window-wall");
const EVERY_MS = 3000; // the wall page is live itself; this only notices the draft lapsing
let shown = "";

async function json(path) {
  const reply = await fetch(path, { cache: "no-store" }).catch(() => null);
  if (!reply) return [0, null];
  return [reply.status, await reply.json().catch(() => null)];
}

function ended() {
  root.dataset.ended = "true";
  frame.parentElement.remove(); // its socket closes with it
  const state = document.getElementById("st-window-state");
  state.hidden = false;
  state.textContent = model.words.studio_window_ended;
}

function show(layout) {
  const [width, height] = layout.aspect;
  frame.parentElement.style.setProperty("--aspect", `${width / height}`);
  frame.src = `/draft/${model.draft}/${encodeURIComponent(layout.id)}`;
  frame.parentElement.hidden = false;
  document.getElementById("st-window-title").textContent = `${layout.id} — ${layout.title}`;
  root.dataset.screen = layout.id;
}

async function refresh() {
  const screen = encodeURIComponent(model.screen);
  const [status, answer] = await json(`/admin/layout/preview/window/${model.draft}/layout?screen=${screen}`);
  if (status === 410) return ended(); // the draft lapsed: nothing more to show
  if (answer && answer.layout && answer.layout.id !== shown) {
    shown = answer.layout.id;
    show(answer.layout);
  }
  setTimeout(refresh, EVERY_MS);
}

refresh();
