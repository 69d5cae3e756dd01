// On the 自评 page: beside each piece of evidence, how many files the open workspace has attached
// to it; a piece with a file is ticked (through the page's own change event, so the page saves it).
// Ticking by hand, without a file, stays possible. Started by boot.js when #sc-selfcheck is there.
import * as store from "./store.js";
import * as evidence from "./evidence.js";

export async function annotate(root) {
  const form = document.getElementById("sc-selfcheck");
  if (!form || form.dataset.scEvidenceFiles) return;
  form.dataset.scEvidenceFiles = "pending";
  const end = Date.now() + 60000;
  while (form.dataset.scMounted !== "1" && Date.now() < end) await new Promise((r) => setTimeout(r, 200));
  const ws = store.current();
  if (!ws) { form.dataset.scEvidenceFiles = "none"; return; }
  let files;
  try { files = await evidence.list(ws.id); } catch (e) { form.dataset.scEvidenceFiles = "unavailable"; return; }
  for (const box of form.querySelectorAll('input[type=checkbox][name^="ev:"]')) {
    const item = box.name.slice(3);
    const n = files.filter((f) => f.item === item && f.entry === Number(box.value)).length;
    const label = box.closest("label") || box.parentElement;
    const old = label.querySelector(".sc-ev-files");
    if (old) old.remove();
    if (!n) continue;
    const note = document.createElement("a");
    note.className = "sc-ev-files";
    note.href = root + "staff/dossier/";
    note.textContent = `（已附 ${n} 个文件）`;
    label.append(" ", note);
    if (!box.checked) {
      box.checked = true;
      box.dispatchEvent(new Event("input", { bubbles: true }));
      box.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }
  form.dataset.scEvidenceFiles = String(files.length);
}
