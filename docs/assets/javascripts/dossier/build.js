// The 报送材料包, built in the browser, streaming: the layout and manifest of selfcheck/package.py.
//
// Zip library: fflate (npm, pinned in package.json, served from assets/vendor/fflate/). Why: it is
// maintained, has no dependencies, and its `Zip` class is a streaming writer — each file is pushed
// through and handed on in chunks, so photos are stored (not recompressed: JPEG/PDF do not shrink)
// one at a time; text files are deflated. It is also the zip library `docx` already pulls in.
// The output chunks are gathered into Blobs of a few MB; Chromium keeps large Blobs on disk, so the
// page never holds the whole package in memory (benchmarks/bench_package.py measures this).
// Limits: ZIP without zip64, so at most 4 GB and 65535 files — far above the package's own limits.

import * as store from "./store.js";
import * as evidence from "./evidence.js";
import * as py from "./py.js";
import * as tools from "./tool-exports.js";
import * as reserve from "./reserve.js";
import * as calendar from "./calendar.js";

export const EXPORT_PATH = "自评/自评导出.json";
const FLUSH_BYTES = 8 * 1024 * 1024;
const TEXT = /\.(json|html|svg|csv|txt)$/i;

let fflatePromise = null;
export function fflate(root) {
  if (!fflatePromise) fflatePromise = import(root + "assets/vendor/fflate/fflate.js");
  return fflatePromise;
}

// Same rules as selfcheck.package.safe_name.
export function safeName(name) {
  const bad = (ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 127 || '\\:*?"<>|/'.includes(ch);
  const cleaned = Array.from(String(name), (ch) => (bad(ch) ? "_" : ch)).join("").replace(/^[ .]+|[ .]+$/g, "");
  return cleaned.slice(0, 120) || "未命名";
}

export function itemFolder(id, title) {
  return "台账/" + safeName(`${id} ${title}`);
}

export function packageName(town, site, day) {
  return `${safeName(town || "未填镇街")}-${safeName(site || "未命名社区")}-${safeName(day)}-报送材料包.zip`;
}

async function sha256(bytes) {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// Extra parts a tool can add (e.g. the risk map's PNG/SVG, the plan's DOCX):
//   window.SCDossierParts = [async (ctx) => [{path: "风险一张图/风险一张图.svg", data: Blob|Uint8Array|string}]]
// ctx: {workspace, toolValue(key)}. Seam for the tools' own renderers.
function extraParts() {
  return Array.isArray(self.SCDossierParts) ? self.SCDossierParts : [];
}

const enc = new TextEncoder();
const asBlob = (data, type) => (data instanceof Blob ? data : new Blob([typeof data === "string" ? enc.encode(data) : data], { type: type || "" }));

// Everything the package holds, as [{path, blob}] (contents are read only when zipped).
export async function collect({ root, workspace, standard, exports, warnings }) {
  const parts = [
    { path: EXPORT_PATH, blob: asBlob(exports.json, "application/json") },
    { path: "自评/自评报告.html", blob: asBlob(exports.html, "text/html") },
  ];
  if (exports.xlsx) parts.push({ path: "自评/自评结果（含附件2点位信息）.xlsx", blob: asBlob(exports.xlsx) });
  const map = store.toolValue(workspace, "sc-riskmap:doc");
  if (map) {
    parts.push({ path: "风险一张图/风险一张图.json", blob: asBlob(map, "application/json") });
    await addMade(parts, () => tools.riskMap(root), "风险一张图的 SVG 和 PNG", warnings);
  }
  const plan = store.toolValue(workspace, "sc-plan-draft-v1");
  if (plan) {
    parts.push({ path: "预案/预案草稿.json", blob: asBlob(plan, "application/json") });
    await addMade(parts, () => tools.plan(root), "预案的 Word 文档", warnings);
  }
  // The community's own records in 物资储备 and 工作日历: a table to read, and the saved data.
  for (const [tool, folder, table] of [[reserve, "物资储备", "本社区储备"], [calendar, "工作日历", "完成记录"]]) {
    const saved = store.toolValue(workspace, tool.KEY);
    const csv = saved && tool.packageCsv(saved);
    if (!csv) continue;
    parts.push({ path: `${folder}/${table}.csv`, blob: asBlob(csv, "text/csv") });
    parts.push({ path: `${folder}/${table}.json`, blob: asBlob(saved, "application/json") });
  }
  for (const make of extraParts()) {
    for (const p of (await make({ workspace, toolValue: (k) => store.toolValue(workspace, k) })) || []) {
      parts.push({ path: p.path, blob: asBlob(p.data) });
    }
  }
  const titles = {};
  for (const cat of standard.categories) for (const item of cat.items) titles[item.id] = item.title;
  const used = new Set(parts.map((p) => p.path));
  for (const f of await evidence.list(workspace.id)) {
    if (!(f.item in titles)) continue;
    let path = `${itemFolder(f.item, titles[f.item])}/${safeName(f.name)}`;
    for (let n = 2; used.has(path); n++) path = `${itemFolder(f.item, titles[f.item])}/${n}-${safeName(f.name)}`;
    used.add(path);
    parts.push({ path, fileId: f.id, size: f.size });
  }
  return parts;
}

// Files a tool makes itself; without them the package still holds the tool's saved JSON.
async function addMade(parts, make, what, warnings) {
  try {
    for (const p of await make()) parts.push({ path: p.path, blob: asBlob(p.data) });
  } catch (e) {
    if (warnings) warnings.push(`${what}没有生成（${e.message}），材料包中有它的 JSON 数据。`);
  }
}

// Zip `parts` with a manifest; returns a Blob. `onProgress(done, total)` after each file.
export async function zipParts(root, parts, manifestBase, onProgress) {
  const { Zip, ZipPassThrough, ZipDeflate } = await fflate(root);
  const out = [];
  let pending = [];
  let pendingBytes = 0;
  let failure = null;
  const zip = new Zip((err, chunk, final) => {
    if (err) { failure = err; return; }
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= FLUSH_BYTES || final) {
      out.push(new Blob(pending));
      pending = [];
      pendingBytes = 0;
    }
  });
  const mtime = new Date(manifestBase.created_at);
  const files = [];
  const total = parts.reduce((n, p) => n + (p.size || (p.blob ? p.blob.size : 0)), 0);
  let doneBytes = 0;
  for (const part of parts) {
    const blob = part.blob || (await evidence.get(part.fileId)).blob;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    files.push({ path: part.path, size: bytes.length, sha256: await sha256(bytes) });
    const entry = TEXT.test(part.path) ? new ZipDeflate(part.path, { level: 6 }) : new ZipPassThrough(part.path);
    entry.mtime = mtime;
    zip.add(entry);
    entry.push(bytes, true);
    if (failure) throw failure;
    doneBytes += bytes.length;
    if (onProgress) onProgress(doneBytes, total);
  }
  const manifest = { ...manifestBase, files };
  const m = new ZipDeflate("manifest.json", { level: 6 });
  m.mtime = mtime;
  zip.add(m);
  m.push(enc.encode(JSON.stringify(manifest, null, 1)), true);
  zip.end();
  if (failure) throw failure;
  return { blob: new Blob(out, { type: "application/zip" }), manifest };
}

export function manifestFor(exportDoc, createdAt) {
  const p = (exportDoc.answers && exportDoc.answers.profile) || {};
  const s = exportDoc.scoring || {};
  return {
    format: "selfcheck-package",
    format_version: 1,
    tool_version: exportDoc.tool_version,
    standard_version: exportDoc.standard_version,
    scoring: { label: s.label, version: s.version, source: s.source },
    created_at: createdAt,
    community: { town: p.town || "", site_name: p.site_name || "", kind: p.kind || "" },
    export: EXPORT_PATH,
  };
}

// The whole button: exports from Python, every part, the zip. Returns {blob, name, files}.
export async function buildForWorkspace(root, workspace, standard, day, onProgress) {
  const now = new Date().toISOString();
  if (!workspace.profile.kind) throw new Error("请先在“社区情况”中选择类型（社区或村），再生成报送材料包。");
  const answers = JSON.stringify(store.answersOf(workspace, standard.version));
  const exportsOut = await py.call(root, "exports", { answers, now, xlsx: true });
  const exportDoc = JSON.parse(exportsOut.json);
  const warnings = [];
  const parts = await collect({ root, workspace, standard, exports: exportsOut, warnings });
  const { blob } = await zipParts(root, parts, manifestFor(exportDoc, now), onProgress);
  const p = exportDoc.answers.profile;
  return { blob, name: packageName(p.town, p.site_name, day), files: parts.length + 1, warnings };
}
