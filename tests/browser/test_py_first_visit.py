"""A first visit's Python waits for the form (py-worker.js, "A first visit waits for the form"),
in real Chromium and real Pyodide.

The 自评 page starts its Python worker from <head>. On a first visit (no saved Python in this
browser) the worker asks for none of Python's files until the page says its form is drawn
(SC.py.formDrawn, one frame after the form's first panel), so that on a slow link the form is
on screen and typeable before Python's 6 MB share the link with it. What must hold:
- no request for a Python file (assets/pyodide/<hash>/, assets/wheels/<hash>/) leaves before the
  page says so, and Python then starts and scores;
- a page that never says so still gets its Python, a few seconds later;
- a return visit (saved Python) starts at once, without waiting for the form.
"""

from __future__ import annotations

import re
import time

from tests.browser.conftest import wait_for_saved_python
from tests.browser.test_py_snapshot import FORGET
from tests.browser.test_selfcheck_page import PAGE, SCORED

HOLD_MAX_MS = 3000  # py-worker.js
DELAY_MS = 2000  # how long the "drawn" message is held up below

PYTHON_FILE = re.compile(r"/assets/(pyodide/[0-9a-f]{16}/|wheels/[0-9a-f]{16}/)")

# The page's "drawn" message to its worker, held up (DELAY_MS) or swallowed (DELAY_MS < 0); when
# it is really posted is kept in `__drawnSent` (epoch ms).
HOLD_UP_DRAWN = """(delay) => {
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (!message || message.type !== "drawn") return post.call(this, message, ...rest);
    if (delay < 0) return undefined;
    setTimeout(() => { window.__drawnSent = Date.now(); post.call(this, message, ...rest); }, delay);
    return undefined;
  };
}"""


def python_requests(page) -> list[float]:
    """Epoch ms at which the tab (its workers included) asked for each Python file, from now on."""
    seen: list[float] = []
    page.on("request", lambda r: PYTHON_FILE.search(r.url) and seen.append(time.time() * 1000))
    return seen


def first_visit_loaded(page, delay: int) -> list[float]:
    """The 自评 page loaded (not reached by a link: the worker of <head>) in a browser with no saved
    Python, its "drawn" message held up by `delay` ms (or never sent, if negative)."""
    page.goto("/404.html")
    page.evaluate(FORGET)
    page.add_init_script(f"({HOLD_UP_DRAWN})({delay})")
    seen = python_requests(page)
    page.goto(PAGE)
    page.wait_for_selector(SCORED, timeout=90_000 + max(delay, HOLD_MAX_MS))
    return seen


def test_a_first_visit_asks_for_no_python_until_the_form_is_drawn(page):
    seen = first_visit_loaded(page, DELAY_MS)
    page.wait_for_function("() => window.__drawnSent", timeout=DELAY_MS + 30_000)
    sent = page.evaluate("() => window.__drawnSent")
    assert seen, "没有看到 Python 文件的请求"
    # Without the wait, the first request leaves as the worker starts: DELAY_MS before `sent`.
    early = [round(at - sent) for at in seen if at < sent - 100]
    assert early == [], f"表单画出之前就请求了 Python 文件（早于通知 {early} ms）"
    assert page.evaluate("() => SC.py.state.info.python") == "fresh"
    assert page.console_errors == []


def test_without_word_from_the_page_python_starts_later_and_a_return_visit_at_once(page):
    seen = first_visit_loaded(page, -1)
    origin = page.evaluate("() => performance.timeOrigin")
    assert seen and min(seen) >= origin + HOLD_MAX_MS - 50, (
        f"页面没有通知，Python 文件却在导航后 {min(seen) - origin:.0f} ms 就被请求"
    )
    assert wait_for_saved_python(page), "60 秒内没有保存 Python 的副本"

    # The same browser again, still with no word from the page: the saved Python is restored at
    # once (the worker's own marks: its runtime module loaded well before the wait would end).
    page.reload()
    page.wait_for_selector(SCORED, timeout=90_000)
    info = page.evaluate("() => SC.py.state.info")
    assert info["python"] == "restored"
    waited = info["timings"]["module"] - info["timings"]["worker-start"]
    assert waited < HOLD_MAX_MS - 1000, f"再次访问时 Python 等了 {waited} ms 才开始"
    assert page.console_errors == []
