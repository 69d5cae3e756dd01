// The few DOM helpers the dossier modules use. Seam: when core.js (window.SC) is on the page its
// helpers are used, so every tool downloads and builds elements the same way.

export function h(tag, attrs, ...children) {
  if (self.SC && self.SC.h) return self.SC.h(tag, attrs, ...children);
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k.startsWith("on") && typeof v === "function") node.addEventListener(k.slice(2), v);
    else if (k in node && typeof v !== "string") node[k] = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// YYYY-MM-DD in the reader's own time zone.
export function isoDay(d) {
  const x = d ? new Date(d) : new Date();
  const pad = (n) => String(n).padStart(2, "0");
  return `${x.getFullYear()}-${pad(x.getMonth() + 1)}-${pad(x.getDate())}`;
}

export function download(blob, name) {
  if (self.SC && self.SC.download) return self.SC.download(blob, name);
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}
