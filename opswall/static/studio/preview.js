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
