// ESLint flat config (pinned in package.json); tests/test_lint.py runs `npx eslint .` in the fast tier.
const fs = require("node:fs");
const path = require("node:path");
const js = require("@eslint/js");
const globals = require("globals");

// A page script is an ES module when it imports or exports (features the core imports, the module
// worker); the rest are classic scripts (mkdocs.yml's extra_javascript, overrides/main.html).
const JS_DIR = "docs/assets/javascripts";
function jsFiles(dir) {
  return fs.readdirSync(path.join(__dirname, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? jsFiles(path.join(dir, e.name)) : e.name.endsWith(".js") ? [path.join(dir, e.name)] : []);
}
const esModules = jsFiles(JS_DIR).filter((f) =>
  /^\s*(import|export)\b/m.test(fs.readFileSync(path.join(__dirname, f), "utf8")));

// Names the page scripts share through `window`: Material's observables and our `SC` namespace.
const pageGlobals = { document$: "readonly", location$: "readonly", SC: "writable" };

module.exports = [
  { ignores: ["site/**", "node_modules/**", ".venv/**", ".cache/**", "build/**", "test-artifacts/**"] },
  js.configs.recommended,
  {
    // The site's page scripts: classic scripts loaded by mkdocs.yml's extra_javascript.
    files: ["docs/assets/javascripts/**/*.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.browser, ...pageGlobals } },
  },
  {
    files: esModules.length ? esModules : ["<no ES modules>"],
    languageOptions: { sourceType: "module" },
  },
  {
    // Module workers (`new Worker(url, {type: "module"})`).
    files: ["docs/assets/javascripts/**/*worker*.js"],
    languageOptions: { globals: { ...globals.worker } },
  },
  {
    // The service worker's template (macros/offline.py puts `const PRECACHE = {...}` above it).
    files: ["macros/templates/sw.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...globals.serviceworker } },
  },
  {
    files: ["tests/**/*.mjs", "benchmarks/**/*.mjs", "scripts/**/*.mjs", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, globals: { ...globals.node } },
  },
  {
    files: ["eslint.config.js"],
    languageOptions: { sourceType: "commonjs" },
  },
  {
    rules: {
      // An unused catch binding or argument that documents a callback's shape is fine.
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      // Chinese text uses the ideographic space (U+3000) in strings and templates; elsewhere it is an error.
      "no-irregular-whitespace": ["error", { skipStrings: true, skipTemplates: true }],
    },
  },
];
