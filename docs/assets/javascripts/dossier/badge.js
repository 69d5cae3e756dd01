// The open community's name on every page (staff pages and the rest), linking to 社区档案.
import * as store from "./store.js";

export function show(root) {
  let ws;
  try { ws = store.current(); } catch (e) { ws = null; }
  let el = document.getElementById("sc-ws-badge");
  if (!ws) { if (el) el.remove(); return; }
  if (!el) {
    el = document.createElement("a");
    el.id = "sc-ws-badge";
    el.className = "sc-ws-badge";
    const host = document.querySelector(".md-header__inner") || document.body;
    host.append(el);
  }
  el.href = root + "staff/dossier/";
  el.textContent = "当前社区：" + ws.label;
  el.setAttribute("aria-label", "当前社区：" + ws.label + "（打开社区档案）");
}

store.onChange(() => show(new URL("../../../", import.meta.url).href));
