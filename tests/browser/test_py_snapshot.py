"""The saved Python (py-worker.js, "A saved Python"), in real Chromium and real Pyodide.

A first start of Python copies its memory right after the engine's imports and keeps it in the
browser's IndexedDB ("sc-python"), under the site's `runtime_id`; a later start restores it. What
a reader must be able to rely on:
- a restored Python scores, exports and imports exactly as CPython does;
- a damaged copy, or one from another release, is dropped and Python starts afresh, with no error;
- storage that is full only means no copy: Python starts, and starts again, as usual;
- the copy holds nothing the person typed.
"""

from __future__ import annotations

import json

import openpyxl
import pytest

from tests.browser.conftest import SAVED_PYTHON, arrive, wait_for_saved_python
from tests.browser.test_selfcheck_page import (
    PAGE,
    assert_page_equals_engine,
    cpython_result,
    download,
    fill,
    page_state,
    wait_scored,
    weak_community,
)

FORMAT = 2  # py-worker.js SAVED_FORMAT

PUT = """([key, text]) => new Promise((resolve, reject) => {
  const open = indexedDB.open("sc-python", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("memory");
  open.onsuccess = () => {
    const db = open.result;
    const tx = db.transaction("memory", "readwrite");
    tx.objectStore("memory").put({ key, memory: new Blob([text]) }, "python");
    tx.oncomplete = () => { db.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
})"""

FORGET = """() => new Promise((resolve) => {
  const r = indexedDB.deleteDatabase("sc-python");
  r.onsuccess = r.onerror = r.onblocked = () => resolve();
})"""

# Where each of `needles` occurs in the saved memory, in the encodings Python keeps text in
# (UTF-8 as in bytes and ASCII strings, UCS-2 and UCS-4 as in str objects with Chinese).
FIND_IN_SAVED = """(needles) => new Promise((resolve, reject) => {
  const open = indexedDB.open("sc-python", 1);
  open.onsuccess = () => {
    const db = open.result;
    const request = db.transaction("memory").objectStore("memory").get("python");
    request.onsuccess = async () => {
      db.close();
      const r = request.result;
      // Unpacked as py-worker.js does: [length, count, page numbers…, the pages (4 KiB each)…].
      const packed = new Uint8Array(await r.memory.arrayBuffer());
      const [length, count] = new Uint32Array(packed.buffer, 0, 2);
      const pages = new Uint32Array(packed.buffer, 8, count);
      const memory = new Uint8Array(length);
      let at = 8 + count * 4;
      for (const page of pages) {
        const span = Math.min(4096, length - page * 4096);
        memory.set(packed.subarray(at, at + span), page * 4096);
        at += span;
      }
      const encodings = {
        utf8: (s) => new TextEncoder().encode(s),
        ucs2: (s) => new Uint8Array(Uint16Array.from(s, (c) => c.charCodeAt(0)).buffer),
        ucs4: (s) => new Uint8Array(Uint32Array.from(s, (c) => c.codePointAt(0)).buffer),
      };
      const found = {};
      for (const needle of needles) {
        found[needle] = [];
        for (const [name, encode] of Object.entries(encodings)) {
          const bytes = encode(needle);
          let at = memory.indexOf(bytes[0]);
          while (at !== -1 && at <= memory.length - bytes.length) {
            let i = 1;
            while (i < bytes.length && memory[at + i] === bytes[i]) i++;
            if (i === bytes.length) { found[needle].push(name); break; }
            at = memory.indexOf(bytes[0], at + 1);
          }
        }
      }
      resolve({ size: memory.length, found });
    };
    request.onerror = () => reject(request.error);
  };
})"""


@pytest.fixture
def runtime_key(built_site) -> str:
    manifest = json.loads((built_site / "assets/wheels/manifest.json").read_text(encoding="utf-8"))
    return f"{FORMAT}:{manifest['runtime_id']}"


def python_start(page) -> str:
    page.wait_for_selector("#sc-selfcheck[data-py-ready]", timeout=90_000)
    wait_scored(page)
    return page.evaluate("() => SC.py.state.info.python")


def wait_saved(page, key: str) -> dict:
    """The saved record once it is this release's (it is kept after the first score)."""
    saved = wait_for_saved_python(page, key)
    assert saved, f"60 秒内没有保存这一版 Python 的副本（现在：{page.evaluate(SAVED_PYTHON)}）"
    return saved


def first_visit(page) -> None:
    """The 自评 page with no saved Python in this browser."""
    arrive(page, "/404.html")
    page.evaluate(FORGET)
    arrive(page, PAGE)


def test_a_return_visit_restores_python_and_it_works_as_cpython(
    page, standard, runtime_key, tmp_path
):
    first_visit(page)
    assert python_start(page) == "fresh"
    saved = wait_saved(page, runtime_key)
    # Only the pages that are not all zeros: well under Python's whole memory (about 30 MB).
    assert 1e6 < saved["size"] < 25e6

    doc = weak_community(standard)
    fill(page, standard, doc)
    result = cpython_result(standard, doc)
    assert_page_equals_engine(page_state(page), result)

    page.reload()
    assert python_start(page) == "restored"
    # The autosaved draft, scored by the restored Python: exactly the engine's result.
    assert_page_equals_engine(page_state(page), result)
    page.fill('[name="ans:3.2.b:value"]', "8")
    wait_scored(page)
    assert "差 2 人" in page.inner_text('[data-criterion-result="3.2.b"]')
    # The XLSX export imports modules that were not imported before the copy was made.
    path = tmp_path / "restored.xlsx"
    download(page, "#sc-export-xlsx").save_as(path)
    assert len(openpyxl.load_workbook(path).sheetnames) >= 3
    # The same copy serves the next visit too: nothing is made again.
    page.reload()
    assert python_start(page) == "restored"
    assert page.evaluate(SAVED_PYTHON) == saved
    assert page.console_errors == []


# A good copy of this release with its last 5,000 bytes gone, as a disk or a crash might leave it.
TRUNCATE = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("sc-python", 1);
  open.onsuccess = () => {
    const db = open.result;
    const tx = db.transaction("memory", "readwrite");
    const store = tx.objectStore("memory");
    const request = store.get("python");
    request.onsuccess = () => {
      const r = request.result;
      store.put({ key: r.key, memory: r.memory.slice(0, r.memory.size - 5000) }, "python");
    };
    tx.oncomplete = () => { db.close(); resolve(); };
    tx.onerror = () => reject(tx.error);
  };
})"""


@pytest.mark.parametrize("which", ["not a copy", "truncated", "another release"])
def test_a_copy_that_does_not_fit_is_dropped_and_python_starts_afresh(
    page, standard, runtime_key, which
):
    first_visit(page)
    python_start(page)
    good = wait_saved(page, runtime_key)
    if which == "truncated":
        page.evaluate(TRUNCATE)
    else:
        key = runtime_key if which == "not a copy" else f"{FORMAT}:{'0' * 64}"
        page.evaluate(PUT, [key, "这不是 Python 的内存"])
    page.reload()
    assert python_start(page) == "fresh"
    page.check('input[name="profile.kind"][value="社区"]')
    page.fill('[name="ans:3.2.b:value"]', "8")
    wait_scored(page)
    assert "差 2 人" in page.inner_text('[data-criterion-result="3.2.b"]')
    # Replaced by a good copy of this release (about the same size), which the next visit restores.
    assert abs(wait_saved(page, runtime_key)["size"] - good["size"]) < 1e6
    page.reload()
    assert python_start(page) == "restored"
    assert page.console_errors == []


def test_full_storage_only_means_no_copy(page):
    arrive(page, "/404.html")
    page.evaluate(FORGET)

    # Full storage, as the dossier's tests simulate it, but in the worker: the page's Blob of the
    # worker's code is prefixed with an IndexedDB that refuses every write.
    def full_storage(route):
        html = route.fetch().text()
        prefix = '["self.scRoot="'
        assert prefix in html
        full = "IDBObjectStore.prototype.put=function(){throw new DOMException('quota','QuotaExceededError')};"
        route.fulfill(
            body=html.replace(prefix, '["' + full + 'self.scRoot="'), content_type="text/html"
        )

    page.route("**" + PAGE, full_storage)
    for _ in range(2):
        page.goto(PAGE)
        assert python_start(page) == "fresh"
        page.check('input[name="profile.kind"][value="村"]')
        page.fill('[name="ans:3.2.b:value"]', "8")
        wait_scored(page)
        assert "差 2 人" in page.inner_text('[data-criterion-result="3.2.b"]')
        page.wait_for_timeout(2000)  # the copy is made, and refused, after the first score
        assert page.evaluate(SAVED_PYTHON) is None
    assert page.console_errors == []


def test_the_copy_holds_nothing_the_person_typed(page, runtime_key):
    first_visit(page)
    # Typed while Python starts, as soon as the field is there: the draft (with it) is sent to the
    # worker before Python is up, and scored as soon as it is.
    page.wait_for_selector('[name="profile.site_name"]', state="attached")
    page.fill('[name="profile.site_name"]', "隐私核对社区甲乙丙")
    page.fill('[name="profile.address"]', "privacy-probe-4711")
    assert python_start(page) == "fresh"
    # In the draft that was scored (every score sends the form's document to the worker).
    draft = page.evaluate(
        "() => { const s = JSON.parse(localStorage.getItem('sc-selfcheck-v1'));"
        " return s.drafts[s.current].doc.profile; }"
    )
    assert draft["site_name"] == "隐私核对社区甲乙丙" and draft["address"] == "privacy-probe-4711"
    wait_saved(page, runtime_key)
    found = page.evaluate(
        FIND_IN_SAVED, ["隐私核对社区甲乙丙", "privacy-probe-4711", "selfcheck.bridge"]
    )
    assert found["size"] > 10e6
    # The search finds what is there: the engine's module, imported before the copy.
    assert found["found"]["selfcheck.bridge"]
    assert found["found"]["隐私核对社区甲乙丙"] == []
    assert found["found"]["privacy-probe-4711"] == []
