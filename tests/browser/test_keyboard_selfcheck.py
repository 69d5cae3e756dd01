"""The self-assessment can be completed with the keyboard alone (Tab, Space, arrows, Enter).

Generic on purpose, so it holds whatever the page's markup becomes: Tab walks the page from the
top; every enabled form control in the article must be reached (none skipped, no trap); each is
answered with keys only (Space for check boxes and radio buttons, ArrowDown for lists, typing for
text); at the end no Python error is shown and answers are recorded in the controls.
"""

from __future__ import annotations

PATH = "/staff/selfcheck/"
CONTROLS = (
    "article input:not([type=hidden]):not([disabled]), article select:not([disabled]), "
    "article textarea:not([disabled]), article button:not([disabled])"
)
ACTIVE = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  if (!e.dataset.kbdId) e.dataset.kbdId = String(Math.random()).slice(2);
  return {id: e.dataset.kbdId, tag: e.tagName.toLowerCase(), type: (e.type || '').toLowerCase(),
          inArticle: Boolean(e.closest('article')), text: (e.textContent || '').trim().slice(0, 20)}; }"""


def test_self_assessment_by_keyboard_alone(page, built_site):
    assert (built_site / "staff" / "selfcheck" / "index.html").exists(), "自评页没有生成"
    page.goto(PATH)
    page.wait_for_function(
        "() => SC.py.state.stage === 'ready' || SC.py.state.stage === 'error'", timeout=120_000
    )
    total = page.locator(CONTROLS).count()
    assert total > 0
    seen, answered, last = set(), 0, None
    for _ in range(total * 3 + 200):
        page.keyboard.press("Tab")
        el = page.evaluate(ACTIVE)
        if el is None or not el["inArticle"]:
            if seen:
                break  # left the article after walking it
            continue
        if el["id"] == last:
            continue  # a date field takes one Tab per part (year, month, day)
        if el["id"] in seen:
            break
        seen.add(el["id"])
        last = el["id"]
        if el["type"] in ("checkbox", "radio"):
            page.keyboard.press("Space")
            answered += 1
        elif el["tag"] == "select":
            page.keyboard.press("ArrowDown")
            answered += 1
        elif el["tag"] == "textarea" or (
            el["tag"] == "input" and el["type"] in ("text", "number", "date", "search")
        ):
            # Only into fields: typed on a link, letters are Material's keyboard shortcuts (search).
            # One key per field is enough to show it takes typing (each key re-renders the form).
            page.keyboard.type({"number": "1", "date": "2"}.get(el["type"], "键"))
            answered += 1
    # Radio groups take one Tab stop per group, so `seen` may be fewer than `total`; but every
    # group and every other control must have been reachable.
    unreachable = page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)].filter((e) => e.offsetParent !== null &&
              !e.dataset.kbdId && !(e.type === 'radio' && document.querySelector(
                `input[type=radio][name="${e.name}"][data-kbd-id]`))).map((e) => e.outerHTML.slice(0, 80))""",
        CONTROLS,
    )
    assert unreachable == [], f"键盘到达不了的控件：{unreachable[:5]}"
    assert answered > 0
    assert page.evaluate("() => SC.py.state.error") is None
