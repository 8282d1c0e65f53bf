"""A live class in real pages: ``streamlit run serve.py`` (the app with the class's routes) and
Chromium pages, a lecturer's and three students' (one phone-sized), each allowed only
127.0.0.1. The lecturer starts a class; the students follow its program and step, step away
and rejoin, a late joiner lands on the current step; a question is posed, answered, tallied
and revealed; the class ends. Refusals (a wrong code, an answer given twice) are said on the
page, which keeps stepping; a student's page has no lecturer controls; the lecturer's secret
is in no link and never reaches Streamlit's server."""

from __future__ import annotations

import re
import time

import pytest

from autodiff.core.numbers import DISPLAY, fmt
from components.presets import POST_1, POST_2
from tests.browser.pages import WAIT, blur, open_app, shown, wait_for_step, wait_for_url_step
from tests.browser.test_phone import PHONE
from tests.conftest import install_offline_guard

DESKTOP = {"width": 1280, "height": 720}
LECTURER_CONTROLS = re.compile("Start a class|Ask the class|Reveal answer|End class|join code")
FOLLOWED_WITHIN_S = 1.0  # the bound, from the lecturer's last press to every student


@pytest.fixture
def pages(browser, class_server, request, save_screenshot):
    """``open(viewport, init_script, before, **query)``: a fresh guarded browser (its own
    sessionStorage) on the app; ``before(page)`` runs before it opens.
    Every page is checked for requests that left 127.0.0.1 after the test."""
    opened = []

    def open_page(viewport=DESKTOP, init_script=None, before=None, **query):
        context = browser.new_context(viewport=viewport, service_workers="block")
        blocked = install_offline_guard(context)
        if init_script:
            context.add_init_script(init_script)
        page = context.new_page()
        opened.append((context, page, blocked))
        if before:
            before(page)
        open_app(page, class_server, **query)
        return page

    yield open_page
    failed = getattr(request.node, "rep_call", None)
    for i, (context, page, blocked) in enumerate(opened):
        if failed is not None and failed.failed:
            save_screenshot(page, f"failed-{i}")
        context.close()
        assert not blocked, f"a page tried to reach the internet (aborted): {blocked}"


def start_class(page) -> str:
    page.get_by_role("button", name="Start a class").click()
    page.locator(".ad-class-code").filter(has_text="Class ").wait_for(timeout=WAIT)
    page.wait_for_function("globalThis.adClass.pending() === 0", timeout=WAIT)
    return page.evaluate("globalThis.adClass.code()")


def join(pages, code: str, lecturer, viewport=DESKTOP, **extra):
    """A student's page on the join link, once it shows the lecturer's program and step."""
    page = pages(viewport, **{"class": code}, **extra)
    page.locator(".ad-class-state").filter(has_text="Following the lecturer").wait_for(timeout=WAIT)
    page.wait_for_function("(text) => document.querySelector('#ad-counter').textContent === text",
                           arg=lecturer.locator("#ad-counter").inner_text(), timeout=WAIT)
    return page


def wait_following(page, step: int, timeout: float = WAIT) -> None:
    page.wait_for_function(
        "(k) => globalThis.adStepper && globalThis.adStepper.shown() === k"
        " && globalThis.adStepper.target() === k && globalThis.adClass.lecturerStep() === k",
        arg=step, timeout=timeout)
    wait_for_step(page, step)


def view_of(page) -> dict:
    """What a page shows, less what depends on the window (none of the text does)."""
    seen = shown(page)
    return {key: seen[key] for key in ("step", "narration", "stack", "ledger", "gradients",
                                       "nodes", "edges")}


def test_a_class_follows_the_lecturer_answers_and_sees_the_reveal(pages, save_screenshot):
    to_streamlit: list = []  # what the lecturer's page sends on Streamlit's own stream

    def listen(page):
        page.on("websocket", lambda ws: ws.on("framesent", lambda sent: to_streamlit.append(
            sent) if "/_stcore/stream" in ws.url else None))

    from_students: dict[str, int] = {}  # messages each student's page sends to Streamlit

    def counting(name: str):
        def count(_) -> None:
            from_students[name] = from_students.get(name, 0) + 1
        return lambda page: page.on("websocket", lambda ws: ws.on("framesent", count)
                                    if "/_stcore/stream" in ws.url else None)

    lecturer = pages(DESKTOP, before=listen, program=POST_2)
    code = start_class(lecturer)
    secret = lecturer.evaluate("JSON.parse(sessionStorage.getItem('ad-class-lecturer')).secret")
    link = lecturer.locator(".ad-class-link").inner_text()
    assert link == f"{class_server_url_of(lecturer)}/?class={code}"
    assert secret not in link and secret not in lecturer.url
    assert secret not in (lecturer.locator(".ad-class-qr").get_attribute("src") or "")
    lecturer.wait_for_function(  # the QR code was drawn by the server and shown
        "() => document.querySelector('.ad-class-qr').naturalWidth > 0", timeout=WAIT)

    # students open the join link: the app's first example, until the room's program arrives
    desk = join(pages, code, lecturer, before=counting("desk"))
    phone = join(pages, code, lecturer, PHONE, before=counting("phone"))
    students = [desk, phone]
    for page in students:
        wait_following(page, 0)
        assert page.get_by_role("button", name=LECTURER_CONTROLS).count() == 0
        assert page.locator(".ad-class-board").count() == 0

    # ten quick presses: every student ends on the lecturer's step, with nothing of it lost
    blur(lecturer)
    for _ in range(10):
        lecturer.keyboard.press("ArrowRight")
    pressed = time.monotonic()
    for page in students:
        wait_following(page, 10)
    followed_in = time.monotonic() - pressed
    lecturer.wait_for_function("globalThis.adClass.pending() === 0", timeout=WAIT)
    sent = lecturer.evaluate("globalThis.adClass.sent()")
    assert sent[-1] == 10 and sent == sorted(set(sent)), sent
    for page in students:
        heard = page.evaluate("globalThis.adClass.heard()")
        assert heard[-1] == 10 and heard == sorted(set(heard)) and set(heard) <= set(sent)
        assert view_of(page) == view_of(lecturer)
    assert followed_in < FOLLOWED_WITHIN_S, f"the students followed {followed_in:.2f} s after"

    # a student steps away, and rejoins where the lecturer is now: no rerun for any of it
    sent_before = dict(from_students)
    blur(desk)
    desk.keyboard.press("ArrowRight")
    wait_for_step(desk, 11)
    desk.locator(".ad-class-state").filter(has_text="On my own").wait_for(timeout=WAIT)
    assert desk.evaluate("globalThis.adClass.following()") is False
    lecturer.keyboard.press("ArrowLeft")
    lecturer.keyboard.press("ArrowLeft")
    wait_following(phone, 8)
    assert desk.evaluate("globalThis.adStepper.shown()") == 11  # on its own: it stayed
    desk.get_by_role("button", name="Rejoin").click()
    wait_following(desk, 8)
    desk.locator(".ad-class-state").filter(has_text="Following the lecturer").wait_for()
    assert from_students == sent_before, "stepping away or rejoining reran a student's page"

    # a late joiner lands on the current step (and the room's program) at once
    late = join(pages, code, lecturer, {"width": 1024, "height": 768}, before=counting("late"))
    wait_following(late, 8)
    assert late.evaluate("globalThis.adClass.heard()") == [8]
    assert view_of(late) == view_of(lecturer)
    students.append(late)

    # the next pop's question, posed: answered by each student once, tallied, revealed
    question = lecturer.evaluate("globalThis.adStepper.question(9)")
    right = [code for _, code in question["choices"]].index("right")
    wrong = next(i for i, (_, c) in enumerate(question["choices"]) if c != "right")
    lecturer.get_by_role("button", name="Ask the class").click()
    for page in students:
        asked = page.locator(".ad-class-question[data-state=open]")
        asked.wait_for(timeout=WAIT)
        assert question["prompt"] in asked.inner_text()
        assert page.locator(".ad-class-pick").all_inner_texts() == [
            f"{letter} · {text}"
            for letter, (text, _) in zip("ABCD", question["choices"], strict=True)]
    sent_before = dict(from_students)
    desk.locator(".ad-class-pick").nth(right).click()
    phone.locator(".ad-class-pick").nth(wrong).click()
    late.locator(".ad-class-number").fill(question["right"])
    late.get_by_role("button", name="Send").click()
    for page in students:
        page.locator(".ad-class-question[data-state=answered]").wait_for(timeout=WAIT)
    assert phone.locator(".ad-class-pick").nth(wrong).is_disabled()  # one answer each
    assert from_students == sent_before, "answering reran a student's page"
    summary = lecturer.locator(".ad-class-summary")
    summary.filter(has_text="3 answered · 2 right (67 %)").wait_for(timeout=WAIT)
    counts = lecturer.locator(".ad-class-count").all_inner_texts()
    expected = ["0 answers"] * 4
    expected[right], expected[wrong] = "1 answer", "1 answer"
    assert counts == expected
    typed = fmt(float(question['right'].replace(chr(0x2212), '-')), DISPLAY)  # as the graph
    assert lecturer.locator(".ad-class-typed").inner_text() == f"Typed: {typed} (1)"
    save_screenshot(lecturer, "lecturer-qr-and-tally", full_page=False)
    save_screenshot(phone, "phone-question-answered", full_page=False)

    lecturer.get_by_role("button", name="Reveal answer").click()
    answer = f"{'ABCD'[right]}: {question['choices'][right][0]}"
    for page, result in ((desk, f"✓ Right: you answered {answer}."),
                         (phone, f"The answer is {answer}."),
                         (late, "✓ Right: you answered ")):
        page.locator(".ad-class-question[data-state=revealed]").wait_for(timeout=WAIT)
        assert result in page.locator(".ad-class-result").inner_text()
    assert phone.locator(".ad-class-result").inner_text().startswith("✗ Not quite")
    assert lecturer.locator(".ad-class-right .ad-class-count").inner_text() == "1 answer ✓ right"
    save_screenshot(phone, "phone-after-reveal", full_page=False)
    fits_the_phone(phone)
    lecturer.keyboard.press("v")  # presenter view: the projector's screen keeps the board
    lecturer.locator(".ad-class-board").wait_for(timeout=WAIT)
    save_screenshot(lecturer, "lecturer-presenting", full_page=False)
    lecturer.keyboard.press("v")

    # the class ends: every student is told, and steps on their own
    lecturer.get_by_role("button", name="End class").click()
    for page in students:
        page.get_by_role("alert").filter(has_text="The lecturer ended this class.").wait_for(
            timeout=WAIT)
    blur(desk)
    desk.keyboard.press("ArrowRight")
    wait_for_step(desk, 9)
    lecturer.get_by_role("button", name="Start a class").wait_for(timeout=WAIT)
    assert lecturer.evaluate("sessionStorage.getItem('ad-class-lecturer')") is None
    assert not any(secret.encode() in (f if isinstance(f, bytes) else f.encode())
                   for f in to_streamlit), "the lecturer's secret reached Streamlit's server"
    assert to_streamlit  # the check above looked at the page's own stream


def class_server_url_of(page) -> str:
    return re.match(r"https?://[^/]+", page.url).group(0)


def fits_the_phone(page) -> None:
    """Nothing wider than the phone's window: the graph, the narration, the question."""
    for selector in (".ad-class-question", ".ad-net", "#ad-narration", ".ad-class-bar"):
        box = page.locator(selector).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], selector
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_refusals_are_said_on_the_page_and_the_stepper_keeps_working(pages):
    stranger = pages(DESKTOP, **{"class": "ZZZZ2222"})
    stranger.get_by_role("alert").filter(has_text="No class has that code").wait_for(timeout=WAIT)
    assert stranger.get_by_role("button", name=LECTURER_CONTROLS).count() == 0
    blur(stranger)
    stranger.keyboard.press("ArrowRight")
    wait_for_step(stranger, 1)

    lecturer = pages(DESKTOP, program=POST_1)
    code = start_class(lecturer)
    student = join(pages, code, lecturer)
    wait_following(student, 0)
    lecturer.get_by_role("button", name="Ask the class").click()
    student.locator(".ad-class-pick").first.click()
    student.locator(".ad-class-question[data-state=answered]").wait_for(timeout=WAIT)
    # the same student's token on another page (as after clearing the page's memory): the
    # room counts one answer per student, and the page says so
    token = student.evaluate("JSON.parse(sessionStorage.getItem('ad-class-student'))")
    again = join(pages, code, lecturer, init_script=(
        f"sessionStorage.setItem('ad-class-student', JSON.stringify('{token}'))"))
    again.locator(".ad-class-pick").nth(1).click()
    again.get_by_role("alert").filter(has_text="You have answered this question already").wait_for(
        timeout=WAIT)
    lecturer.locator(".ad-class-summary").filter(has_text="1 answered").wait_for(timeout=WAIT)
    blur(again)
    again.keyboard.press("ArrowRight")
    wait_for_step(again, 1)
    assert again.locator(".ad-class-state").inner_text().startswith("On my own")


def test_a_lesson_link_has_no_class_controls(pages):
    page = pages(DESKTOP, program=POST_1, mode="predict", hide="editor")
    wait_for_step(page, 0)
    assert page.get_by_role("button", name=LECTURER_CONTROLS).count() == 0


FOCUSED = """() => { const e = document.activeElement, style = e && getComputedStyle(e);
    return e ? {text: (e.textContent || e.getAttribute('aria-label') || '').trim(),
                ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2}
             : null; }"""


def tab_to(page, name: str, presses: int = 60) -> None:
    """Tab (never the mouse) until the control named ``name`` has the focus, with a ring."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["text"] == name:
            assert focused["ring"], f"{name} has the focus but shows no ring"
            return
    raise AssertionError(f"{name} is not reachable with Tab")


def test_the_class_controls_work_from_the_keyboard_with_a_visible_focus(pages):
    lecturer = pages(DESKTOP, program=POST_2)
    tab_to(lecturer, "Start a class")
    lecturer.keyboard.press("Enter")
    lecturer.locator(".ad-class-code").filter(has_text="Class ").wait_for(timeout=WAIT)
    code = lecturer.evaluate("globalThis.adClass.code()")
    lecturer.locator(".ad-class-address").focus()
    lecturer.keyboard.press("Shift+Tab")  # back into the bar, then forward through it
    tab_to(lecturer, "Hide join code")
    lecturer.keyboard.press("Enter")
    lecturer.locator(".ad-class-join").wait_for(state="hidden", timeout=WAIT)
    tab_to(lecturer, "Ask the class")
    lecturer.keyboard.press("Enter")
    lecturer.locator(".ad-class-tally").wait_for(timeout=WAIT)

    student = join(pages, code, lecturer, PHONE)
    tab_to(student, "A · " + student.locator(".ad-class-pick").first.inner_text().split(" · ")[1])
    student.keyboard.press("Space")
    student.locator(".ad-class-question[data-state=answered]").wait_for(timeout=WAIT)
    lecturer.locator(".ad-class-summary").filter(has_text="1 answered").wait_for(timeout=WAIT)
    assert student.evaluate("globalThis.adStepper.shown()") == 0  # Space answered, not stepped
    blur(student)
    student.keyboard.press("ArrowRight")
    tab_to(student, "Rejoin")
    student.keyboard.press("Enter")
    student.locator(".ad-class-state").filter(has_text="Following the lecturer").wait_for(
        timeout=WAIT)
    wait_following(student, 0)

    tab_to(lecturer, "Reveal answer")
    lecturer.keyboard.press("Enter")
    student.locator(".ad-class-question[data-state=revealed]").wait_for(timeout=WAIT)
    tab_to(lecturer, "End class")
    lecturer.keyboard.press("Enter")
    student.get_by_role("alert").filter(has_text="ended").wait_for(timeout=WAIT)


def test_a_reloaded_lecturer_page_carries_on_its_class(pages):
    lecturer = pages(DESKTOP, program=POST_2)
    code = start_class(lecturer)
    student = join(pages, code, lecturer)
    blur(lecturer)
    for _ in range(3):
        lecturer.keyboard.press("ArrowRight")
    wait_following(student, 3)
    wait_for_url_step(lecturer, 3)
    lecturer.reload()  # the same tab: its sessionStorage keeps the room's secret
    lecturer.locator(".ad-class-code").filter(has_text=f"Class {code[:4]}").wait_for(
        timeout=WAIT)
    wait_for_step(lecturer, 3)
    blur(lecturer)
    lecturer.keyboard.press("ArrowRight")
    wait_following(student, 4)
    assert student.locator(".ad-class-state").inner_text().startswith("Following the lecturer")
