// Runs scripts/bytecode/compile.py inside real Pyodide under Node, for macros/bytecode.py.
//
//   node scripts/bytecode/run.mjs PYODIDE_DIR JOB_DIR
//
// Every file of JOB_DIR is copied to /job/ in Pyodide's memory; compile.py writes its results to
// /job/out/, copied back to JOB_DIR/out/. Bytecode has to be written by the very Python that will
// read it (Pyodide's 3.14, not the build machine's), hence Node. PYTHONHASHSEED is fixed so that
// two builds write the same bytes.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [indexDir, jobDir] = process.argv.slice(2);
const { loadPyodide } = await import(pathToFileURL(join(indexDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: indexDir + "/", env: { PYTHONHASHSEED: "0" } });
pyodide.FS.mkdirTree("/job/out");
for (const name of readdirSync(jobDir)) {
  if (statSync(join(jobDir, name)).isFile()) pyodide.FS.writeFile("/job/" + name, new Uint8Array(readFileSync(join(jobDir, name))));
}
// Installed as the benchmark's baseline and the Node tests install them (loadPackage, which also
// imports tarfile and email for the wheels' metadata); the page's worker unpacks them, which
// imports a subset of that.
const job = JSON.parse(readFileSync(join(jobDir, "job.json"), "utf-8"));
await pyodide.loadPackage(job.wheels.map((name) => join(jobDir, name)), { messageCallback: () => {} });
const script = new URL("compile.py", import.meta.url);
pyodide.runPython(readFileSync(script, "utf-8"), { filename: "scripts/bytecode/compile.py" });
mkdirSync(join(jobDir, "out"), { recursive: true });
for (const name of pyodide.FS.readdir("/job/out")) {
  if (name === "." || name === "..") continue;
  writeFileSync(join(jobDir, "out", name), pyodide.FS.readFile("/job/out/" + name));
}
