// A staff tool's own per-community data (物资储备, 工作日历): one localStorage key each, which the
// workspace store swaps with the open community like the other tools' keys (store.SWAPPED). The
// record describes itself (names, not only ids), so the 报送材料包 can write it as a table.
import * as store from "./store.js";

export function read(key, format) {
  let doc;
  try { doc = JSON.parse(localStorage.getItem(key)); } catch (e) { doc = null; }
  return doc && doc.format === format && typeof doc === "object" ? doc : null;
}

// Throws store.StorageFull (its message says nothing was lost) when the browser refuses.
export function write(key, doc) {
  doc.updated = new Date().toISOString();
  try {
    localStorage.setItem(key, JSON.stringify(doc));
  } catch (e) {
    throw new store.StorageFull();
  }
}

// “正在记录：<社区>” above the tool, kept in step with a switch made in another tab.
export function workspaceLine(el) {
  let ws;
  try { ws = store.current(); } catch (e) { ws = null; }
  el.replaceChildren();
  const link = Object.assign(document.createElement("a"), { href: new URL("../../../staff/dossier/", import.meta.url).href });
  if (ws) {
    link.textContent = "切换或新建社区";
    el.append(`正在记录：${ws.label}（`, link, "）");
  } else {
    link.textContent = "新建社区档案";
    el.append("还没有社区档案：现在记下的内容保存在这台设备上，", link, "后归入那个社区。");
  }
}

// Saves and says so in the tool's status line; a full storage says that instead (nothing lost).
export function saveAndSay(key, doc, status, said) {
  try {
    write(key, doc);
    status.textContent = said;
    return true;
  } catch (e) {
    status.textContent = e.message;
    return false;
  }
}

// Draws a tool for the open community now and again after every switch (its “正在记录” line
// included); returns the unsubscribe for the tool's unmount.
export function followWorkspace(root, render) {
  const line = root.querySelector("[data-ws-line]");
  const show = () => {
    workspaceLine(line);
    render();
    root.dataset.scWorkspace = (store.current() || {}).id || "";
  };
  const off = store.onChange(show);
  show();
  return off;
}

// CSV (UTF-8 with BOM, so Excel opens it in Chinese) from rows of cells.
export function csv(rows) {
  const cell = (v) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return "\ufeff" + rows.map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}
