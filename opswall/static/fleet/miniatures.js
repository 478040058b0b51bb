/* /admin/screens' live miniatures (issue 21, part 2): each screen's own wall page, in a
 * read-only mirror, shrunk, as the overview screen shows other screens (its iframe tiles).
 *
 * A mirror is the same page as the screen's: /wall/<screen> decides what it shows from the
 * same control state, over its own socket. It is not a device: the operator's session is a
 * person, not a device token (the gateway counts tokens only), and a framed page never reports
 * (fleet-client.js reports from the top window only), so identify and reload never reach it.
 * Read-only: the frame is inert (no pointer, no focus, no keys; a wall page has no control
 * anyway). Not sandboxed: a same-origin page that runs scripts could lift its own sandbox, so
 * one would only add a console warning. The CSP needs nothing new: wall pages may be framed by
 * this server's pages.
 *
 * The frames live outside the table the poll re-renders: moving an iframe in the document
 * reloads it, so each screen's frame is made once and only resized after.
 */
export const FALLBACK = [1920, 1080]; // a screen no device reports for: drawn at full HD
const WIDTH_PX = 320;

// The size to lay the mirror out at: the viewport its (first live) device reports.
export function frameSize(screen) {
  for (const device of screen.devices || []) {
    const viewport = (device.report || {}).viewport;
    if (device.state !== "disconnected" && viewport && viewport[0] > 0 && viewport[1] > 0) {
      return viewport;
    }
  }
  return FALLBACK;
}

function figure(screen, words) {
  const node = document.createElement("figure");
  node.className = "miniature";
  node.dataset.screen = screen.screen;
  const caption = document.createElement("figcaption");
  const box = document.createElement("div");
  box.className = "miniature-box";
  box.inert = true;
  const frame = document.createElement("iframe");
  frame.src = "/wall/" + encodeURIComponent(screen.screen);
  frame.title = words.fleet_mirror.replace("{screen}", screen.screen);
  frame.setAttribute("tabindex", "-1");
  frame.dataset.role = "mirror";
  box.append(frame);
  node.append(box, caption);
  return node;
}

function size(node, screen) {
  const [width, height] = frameSize(screen);
  const frame = node.querySelector("iframe");
  const scale = WIDTH_PX / width;
  if (frame.width !== String(width)) frame.width = String(width);
  if (frame.height !== String(height)) frame.height = String(height);
  frame.style.transform = `scale(${scale})`;
  node.firstChild.style.height = `${Math.round(height * scale)}px`;
}

// Keep one figure per screen, in the config's order; captions follow the fleet's states.
export function syncMiniatures(container, fleet, words, badge) {
  const screens = [...fleet.screens].filter((s) => s.expected !== false);
  screens.sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const seen = new Set();
  for (const screen of screens) {
    seen.add(screen.screen);
    let node = container.querySelector(`figure[data-screen="${CSS.escape(screen.screen)}"]`);
    if (!node) {
      node = figure(screen, words);
      container.append(node);
    }
    size(node, screen);
    node.dataset.state = screen.state;
    const caption = node.querySelector("figcaption");
    const name = document.createElement("b");
    name.textContent = screen.screen + " ";
    caption.replaceChildren(name, badge(screen.state));
  }
  for (const node of container.querySelectorAll("figure[data-screen]")) {
    if (!seen.has(node.dataset.screen)) node.remove();
  }
}
