// Runs a Python job inside real Pyodide under Node, fully offline.
//
//   node tests/pyodide_runner.mjs JOB.json OUT.json
//
// JOB.json: {"indexURL": ".../node_modules/pyodide/", "wheels": ["/abs/path.whl", ...],
//            "expect": ["selfcheck", "openpyxl", "et_xmlfile"], "script": "<python>", "input": "<text>"}
// The script reads the global `job_input` (a string) and sets `job_output` (a string).
// Exit status: 0 ok; 2 a wheel did not load (Pyodide would otherwise try a CDN and carry on);
// 3 the Python script raised.
import { readFileSync, writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const [jobPath, outPath] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobPath, "utf-8"));
const { loadPyodide } = await import(pathToFileURL(job.indexURL + "pyodide.mjs").href);

const messages = [];
const pyodide = await loadPyodide({ indexURL: job.indexURL, stdout: (s) => messages.push(s), stderr: (s) => messages.push(s) });
await pyodide.loadPackage(job.wheels, { messageCallback: (m) => messages.push(m), errorCallback: (m) => messages.push("ERROR " + m) });
const missing = job.expect.filter((name) => !(name in pyodide.loadedPackages));
if (missing.length) {
  console.error(`Pyodide did not load: ${missing.join(", ")}\n${messages.join("\n")}`);
  process.exit(2);
}
pyodide.globals.set("job_input", job.input);
try {
  await pyodide.runPythonAsync(job.script);
} catch (err) {
  console.error(String(err));
  process.exit(3);
}
writeFileSync(outPath, JSON.stringify({
  output: pyodide.globals.get("job_output"),
  loaded: pyodide.loadedPackages,
  version: pyodide.version,
}));
process.exit(0);
