// The dossier's own module worker: Python (Pyodide + the selfcheck wheel, from this site's files)
// for the 报送材料包. It makes the 自评 exports that go into a package, and on the district side
// verifies packages and ranks them with the same code as `selfcheck package verify` / `aggregate`.
//
// Why a worker of its own: a dropped package (hundreds of MB) is read by Python in slices with
// FileReaderSync, which exists only in workers, so no package is ever copied whole into memory.
// Seam: once the shared worker (py-worker.js + selfcheck.bridge) can pass a File, these calls
// become bridge entries and this file goes.
//
// Each dropped file is read ONCE: "submit" verifies a package against its manifest (every file's
// size and SHA-256) or reads a JSON export, and keeps what it found (or the refusal) under the
// file's name. Ranking, the Excel table, the 考评表 and opening a file then use what is kept; no
// file is verified or hashed again (selfcheck.aggregate takes a kept submission as is).
//
// In:  {id, type: "init", root} | {id, type: "exports", answers, now}
//      | {id, type: "submit", file, name} → {ok, file, reason?, kept_old?, package: {evidence, others, files} | null}
//        (kept_old: refused, and an accepted file of the same name stays as it was)
//      | {id, type: "forget", names}      (drop kept files; none named: all)
//      | {id, type: "rank", names, now}   → the summary of selfcheck.aggregate over kept files
//      | {id, type: "xlsx", names, now}   → the ranking workbook (bytes)
//      | {id, type: "items", name, now}   → the kept export re-scored: profile, overall, each item
//      | {id, type: "extract", name, path} → one file of a kept package (bytes)
// Out: {id, ok: true, result} | {id, ok: false, error: <one Chinese sentence>}

let pyodide = null;
let starting = null;
let xlsxLoaded = null;
let wheelBase = "";
let manifest = null;

const GLUE = `
import io, json
import js
from selfcheck import api, package
from selfcheck.aggregate import aggregate as _aggregate
from selfcheck.errors import SelfcheckError

class _JsFile(io.RawIOBase):
    """A dropped File read in slices (FileReaderSync): zipfile seeks to the central directory and
    reads each entry without the whole package ever being copied into Python's memory."""

    def __init__(self, blob):
        self.blob, self.pos, self.size = blob, 0, int(blob.size)
        self.reader = js.FileReaderSync.new()

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.pos

    def seek(self, offset, whence=0):
        base = {0: 0, 1: self.pos, 2: self.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.pos)
        if n <= 0:
            return 0
        chunk = js.Uint8Array.new(self.reader.readAsArrayBuffer(self.blob.slice(self.pos, self.pos + n))).to_bytes()
        buffer[:len(chunk)] = chunk
        self.pos += len(chunk)
        return len(chunk)


class UserError(Exception):
    """A SelfcheckError crossing into JS: its message is the Chinese sentence to show."""


def _user(fn):
    def wrapped(*args):
        try:
            return fn(*args)
        except SelfcheckError as exc:
            raise UserError("SC-USER:" + str(exc)) from None
    return wrapped


def _open(blob):
    return io.BufferedReader(_JsFile(blob), buffer_size=1024 * 1024)


@_user
def sc_exports(S, R, P, answers, now, with_xlsx):
    out = {"json": api.export_json(S, R, answers, now), "html": api.report_html(S, R, answers, now)}
    if with_xlsx:
        out["xlsx"] = api.export_xlsx(S, R, P, answers, now)
    return out


_kept = {}  # file name → (the dropped File, what package.read_submission returned, or its refusal)


def sc_submit(blob, name):
    """Read a dropped file once: a package is verified whole, a JSON export read as bytes."""
    from selfcheck.errors import ImportRefused
    try:
        sub, shown = package.read_submission_summary(_open(blob), name)
    except Exception:  # noqa: BLE001  a File that can no longer be read (moved, changed on disk)
        sub = ImportRefused(name, "文件无法读取（可能已被移动、改动或删除），请重新选择这个文件。")
        shown = {"ok": False, "file": name, "reason": str(sub), "package": None}
    before = _kept.get(name)
    # A refused file never replaces an accepted one of the same name: nothing loaded changes.
    shown["kept_old"] = not shown["ok"] and before is not None and not isinstance(before[1], SelfcheckError)
    if not shown["kept_old"]:
        _kept[name] = (blob, sub)
    return json.dumps(shown, ensure_ascii=False)


def sc_forget(names):
    for n in (list(names) if names else list(_kept)):
        _kept.pop(str(n), None)


def _summary(S, R, names, now):
    files = [(str(n), _kept[str(n)][1]) for n in names if str(n) in _kept]
    return _aggregate(api._standard(S), api._rule(S, R), files, now=now)


@_user
def sc_rank(S, R, names, now):
    return json.dumps(_summary(S, R, names, now), ensure_ascii=False)


@_user
def sc_xlsx(S, R, P, names, now):
    from selfcheck.aggregate import aggregate_xlsx
    return aggregate_xlsx(_summary(S, R, names, now), api._plan(P))


@_user
def sc_items(S, R, name, now):
    """A kept export re-scored with the current standard and 口径 (as the ranking is), for the 考评表."""
    from selfcheck.errors import ImportRefused
    from selfcheck.importer import import_document
    from selfcheck.scoring import score_community
    sub = _kept[name][1]
    if isinstance(sub, SelfcheckError):
        raise sub
    standard = api._standard(S)
    imported = import_document(standard, sub["export"], filename=name)
    if sub["package"] is not None and imported["source"] != "export":
        raise ImportRefused(name, "材料包中的自评文件是未导出的自评数据，没有校验码，请在自评工具中重新生成材料包。")
    result = score_community(standard, api._rule(S, R), imported["answers"], now=imported["exported_at"] or now)
    return json.dumps({
        "profile": result["profile"], "overall": result["overall"], "verified": imported["verified"],
        "notes": imported["notes"], "package": sub["package"] is not None,
        "items": {iid: {"status": e["status"], "label": e["status_label"], "score": e.get("score")} for iid, e in result["items"].items()},
    }, ensure_ascii=False)


@_user
def sc_extract(name, path):
    """One file of a kept package, as verified when it was dropped (read, not hashed again)."""
    import zipfile
    blob, sub = _kept[name]
    if isinstance(sub, SelfcheckError) or sub["package"] is None or path not in {f["path"] for f in sub["package"]["files"]}:
        raise package.PackageRefused(name, f"材料包中没有文件“{path}”。")
    with zipfile.ZipFile(_open(blob)) as zf:
        return zf.read(path)
`;

async function fetchOk(url, what) {
  let response;
  try { response = await fetch(url); } catch (e) { throw new Error(`无法下载${what}（${url}），网络不通或网站未运行。`, { cause: e }); }
  if (!response.ok) throw new Error(`无法下载${what}（${url}），服务器返回 ${response.status}。`);
  return response;
}

const data = {};

async function init(root) {
  // The manifest names the folders of this release's files (see py-worker.js).
  manifest = await (await fetchOk(root + "assets/wheels/manifest.json", "程序清单")).json();
  const hashed = /^[0-9a-f]{16}$/;
  if (!manifest.folders || !hashed.test(manifest.folders.pyodide) || !hashed.test(manifest.folders.wheels)) {
    throw new Error("程序清单不完整（缺少 folders），网站文件不完整。");
  }
  const base = root + "assets/pyodide/" + manifest.folders.pyodide + "/";
  wheelBase = root + "assets/wheels/" + manifest.folders.wheels + "/";
  const { loadPyodide } = await import(base + "pyodide.mjs");
  const own = manifest.wheels.find((w) => w.startsWith("selfcheck-"));
  const [py, wheel] = await Promise.all([
    loadPyodide({ indexURL: base, fullStdLib: false }),
    fetchOk(wheelBase + own, "自评程序").then((r) => r.arrayBuffer()),
    ...["standard", "scoring", "plan"].map((stem) =>
      fetchOk(root + "assets/data/" + stem + ".json", "数据文件").then((r) => r.text()).then((t) => { data[stem] = t; })),
  ]);
  py.unpackArchive(new Uint8Array(wheel), "wheel");
  py.runPython(GLUE);
  pyodide = py;
  return { standard: manifest.standard };
}

async function ensureXlsx() {
  if (!xlsxLoaded) {
    xlsxLoaded = (async () => {
      for (const file of manifest.wheels.filter((w) => !w.startsWith("selfcheck-"))) {
        const bytes = await (await fetchOk(wheelBase + file, "表格导出组件")).arrayBuffer();
        pyodide.unpackArchive(new Uint8Array(bytes), "wheel");
      }
    })();
  }
  return xlsxLoaded;
}

function py(name) { return pyodide.globals.get(name); }

function toBytes(proxy) {
  const out = proxy.toJs();
  if (proxy.destroy) proxy.destroy();
  return out;
}

async function run(msg) {
  if (msg.type === "init") {
    if (!starting) starting = init(msg.root);
    return starting;
  }
  await starting;
  if (msg.type === "exports") {
    if (msg.xlsx) await ensureXlsx();
    const got = py("sc_exports")(data.standard, data.scoring, data.plan, msg.answers, msg.now, !!msg.xlsx);
    const out = { json: got.get("json"), html: got.get("html") };
    if (msg.xlsx) out.xlsx = toBytes(got.get("xlsx"));
    got.destroy();
    return out;
  }
  if (msg.type === "submit") return JSON.parse(py("sc_submit")(msg.file, msg.name));
  if (msg.type === "forget") { py("sc_forget")(msg.names || null); return true; }
  if (msg.type === "rank") return JSON.parse(py("sc_rank")(data.standard, data.scoring, msg.names, msg.now));
  if (msg.type === "xlsx") {
    await ensureXlsx();
    return toBytes(py("sc_xlsx")(data.standard, data.scoring, data.plan, msg.names, msg.now));
  }
  if (msg.type === "items") return JSON.parse(py("sc_items")(data.standard, data.scoring, msg.name, msg.now));
  if (msg.type === "extract") return toBytes(py("sc_extract")(msg.name, msg.path));
  throw new Error("未知的请求。");
}

self.onmessage = async (event) => {
  const msg = event.data;
  try {
    const result = await run(msg);
    self.postMessage({ id: msg.id, ok: true, result });
  } catch (e) {
    // A SelfcheckError's message is already one Chinese sentence; Pyodide prefixes the traceback.
    const text = String(e && e.message ? e.message : e);
    const lines = text.trim().split("\n");
    const last = lines[lines.length - 1];
    const user = /SC-USER:(.*)$/.exec(last);
    self.postMessage({ id: msg.id, ok: false, error: user ? user[1] : (lines.length > 1 ? "程序内部出错，请刷新页面后重试。" : text), detail: user ? "" : text });
  }
};
