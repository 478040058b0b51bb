// Preview before apply: the draft on one chosen display, for as long as this page asks. The
// server keeps the draft for a while (studio/preview.py); the page renews it, and ending the
// preview (or applying) puts the screen back. Other screens never change.

const RENEW_MS = 120000; // well inside the server's expiry of the stored draft

/**
 * `server.start(screen)` sends the draft to preview on `screen` (its answer, or null when
 * refused); `server.end(screen)` puts the screen back. Returns { end() }: ends a preview on.
 */
export function setUpPreview(server, words) {
  const select = document.getElementById("st-preview-screen");
  const cancel = document.getElementById("st-preview-cancel");
  const status = document.getElementById("st-preview-state");
  let showing = null;
  let timer = null;

  function shown(screen) {
    showing = screen;
    cancel.hidden = screen === null;
    status.textContent = screen === null ? "" : words.studio_previewing.replace("{screen}", screen);
    status.dataset.screen = screen || "";
    clearTimeout(timer);
    if (screen !== null) timer = setTimeout(() => start(screen), RENEW_MS);
  }

  async function end() {
    if (showing === null) return;
    const screen = showing;
    shown(null);
    await server.end(screen);
  }

  async function start(screen) {
    if (showing !== null && showing !== screen) await end();
    const answer = await server.start(screen);
    if (answer && answer.draft) shown(screen);
  }

  document.getElementById("st-preview-start").addEventListener("click", () => start(select.value));
  cancel.addEventListener("click", end);
  window.addEventListener("pagehide", end); // leaving the studio ends its preview
  return { end };
}

const WINDOW = "opswall-draft-preview"; // one preview window, reused

/**
 * The preview window: the draft on no physical screen. `server.keep()` stores the draft (its
 * digest, or null when refused); `screen()` is the layout shown in the studio. The window is
 * re-pointed when the draft or the layout changes, the draft renewed while the window is
 * open, and the window closed when the studio is left. Returns { changed() }.
 */
export function setUpWindow(server, screen, words) {
  const status = document.getElementById("st-preview-state");
  let opened = null;
  let timer = null;
  let pending = null;

  const open = () => opened !== null && !opened.closed;
  async function point(first) {
    if (first) opened = window.open("", WINDOW); // while the click's activation lasts
    const draft = await server.keep();
    if (!open()) return;
    if (!draft) {
      if (first) opened.close(); // refused: the verdict is shown in the studio
      return;
    }
    const lang = encodeURIComponent(document.documentElement.lang); // the studio's language
    const url = `/admin/layout/preview/window/${draft}?screen=${encodeURIComponent(screen())}&lang=${lang}`;
    if (opened.location.href !== new URL(url, location.href).href) opened.location.replace(url);
    status.textContent = words.studio_window_opened;
    clearTimeout(timer);
    timer = setTimeout(() => point(false), RENEW_MS);
  }
  document.getElementById("st-preview-window").addEventListener("click", () => point(true));
  window.addEventListener("pagehide", () => { if (open()) opened.close(); });
  return {
    changed() { // the draft or the layout changed: the open window follows, a moment later
      if (!open()) return;
      clearTimeout(pending);
      pending = setTimeout(() => point(false), 300);
    },
  };
}
