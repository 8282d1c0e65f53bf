"""Slides and a handout (issue 21, item 4): the stepper frozen into one HTML file, opened from
disk with every request but the file itself aborted. The slideshow steps with → and PageDown
and shows the app's graph, narration, stack and ledger at each step (the app read from the
real server); the handout, printed to PDF by Chromium on A4 and Letter, has one section per
step, each with its graph image, none cut at a page edge (read page by page with poppler)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from components import cli as components_cli
from components.presets import POST_1, POST_3
from tests.browser.pages import WAIT, blur, open_app, shown, wait_for_step

pytestmark = pytest.mark.browser

#: what must be equal in the file and in the app at a step (the counter says "of 14" in a
#: file of steps 10-14: the file ends there)
SAME = ("nodes", "edges", "narration", "stack", "ledger")


def _program_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "program.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def from_disk(browser):
    """``open(path)``: the file opened from disk in a fresh context, at 1280×720, every
    request that is not the file itself aborted and recorded: (page, the URLs asked for).
    The contexts are closed after the test."""
    contexts = []

    def open_file(path: Path):
        context = browser.new_context(viewport={"width": 1280, "height": 720})
        contexts.append(context)
        url, asked_off_file = path.resolve().as_uri(), []

        def only_the_file(route):
            if route.request.url == url:
                route.continue_()
            else:
                asked_off_file.append(route.request.url)
                route.abort()

        context.route("**/*", only_the_file)
        page = context.new_page()
        page.goto(url)
        page.wait_for_function("document.body.dataset.ready === 'true'", timeout=WAIT)
        return page, asked_off_file

    yield open_file
    for context in contexts:
        context.close()


def _app_views(page, app_server, program: str, steps: range) -> dict[int, dict]:
    """What the app shows at each of ``steps``, stepped with → from the first."""
    open_app(page, app_server, program=program, step=steps.start)
    wait_for_step(page, steps.start)
    blur(page)
    views = {steps.start: shown(page)}
    for k in steps[1:]:
        page.keyboard.press("ArrowRight")
        wait_for_step(page, k)
        views[k] = shown(page)
    return views


def _check_deck(deck, app: dict[int, dict], steps: range) -> None:
    wait_for_step(deck, steps.start)
    for k in steps:
        if k > steps.start:
            deck.keyboard.press("ArrowRight" if k % 2 else "PageDown")  # a clicker: PageDown
            wait_for_step(deck, k)
        view = shown(deck)
        for name in SAME:
            assert view[name] == app[k][name], f"step {k}: the slideshow's {name} differs"


def test_the_slideshow_steps_as_the_app_from_disk(page, app_server, from_disk, tmp_path,
                                                   save_screenshot):
    # the post's first example: the app's own download, the whole pass (its default range)
    app = _app_views(page, app_server, POST_1, range(0, 5))
    page.get_by_text("Share and export").click()
    with page.expect_download(timeout=WAIT) as download:
        page.get_by_role("button", name="Slideshow (HTML)").click()
    deck_path = tmp_path / "deck.html"
    download.value.save_as(deck_path)
    deck, asked = from_disk(deck_path)
    assert deck.evaluate("document.body.classList.contains('ad-present')")  # presenter view
    _check_deck(deck, app, range(0, 5))
    deck.keyboard.press("ArrowLeft")  # back, as a clicker's PageUp
    wait_for_step(deck, 3)
    deck.keyboard.press("PageUp")
    wait_for_step(deck, 2)
    save_screenshot(deck, "post1-step2", full_page=False)
    # out of presenter view, the chain rule typeset by the file's own KaTeX and fonts
    deck.get_by_role("button", name="Exit presenter").click()
    deck.get_by_role("tab", name="Chain rule").click()
    deck.wait_for_function("document.querySelector('#ad-chain .katex annotation')",
                           timeout=WAIT)
    assert r"= 4 \cdot 1 = 4" in deck.locator("#ad-chain annotation").first.text_content()
    assert deck.evaluate("document.fonts.check('16px KaTeX_Main')")
    save_screenshot(deck, "post1-step2-chain", full_page=False)
    assert asked == [], f"the slideshow asked for more than its file: {asked}"

    # five steps of the third, made by the command line
    steps = range(10, 15)
    path = tmp_path / "deck3.html"
    path.write_text(components_cli.make("slides", _program_file(tmp_path, POST_3), [],
                                        "route-stack", "10-14"), encoding="utf-8")
    app = _app_views(page, app_server, POST_3, steps)
    deck, asked = from_disk(path)
    _check_deck(deck, app, steps)
    save_screenshot(deck, "post3-step14", full_page=False)
    assert asked == [], f"the slideshow asked for more than its file: {asked}"


# ---- the handout ----

PAPERS = {"A4": (210, 297), "Letter": (215.9, 279.4)}  # mm
MARGIN_MM = 12  # frozen.css @page
PX_PER_MM = 96 / 25.4


def _poppler(*args: str) -> str:
    tool = args[0]
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is missing: apt-get install poppler-utils (.ci/run installs it)")
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=60).stdout


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _sections(page) -> list[dict]:
    return page.evaluate("""() => [...document.querySelectorAll('section.ho-step')].map(s => ({
        step: Number(s.dataset.step), heading: s.querySelector('h2').textContent,
        narration: s.querySelector('.ho-narration').textContent,
        lastRow: [...s.querySelectorAll('.ho-ledger .ad-line')].pop().textContent,
        image: s.querySelector('img.ho-graph').src,
        drawn: s.querySelector('img.ho-graph').naturalWidth}))""")


def _check_pdf(pdf: Path, sections: list[dict], title: str) -> int:
    """Every page starts with a section's heading (the first with the title): no section ran
    on from the page before; each heading's part of its page holds the section's narration
    and its ledger's last row; each page has one graph image per section on it."""
    pages = int(re.search(r"Pages:\s+(\d+)", _poppler("pdfinfo", str(pdf)))[1])
    listed = [line.split() for line in _poppler("pdfimages", "-list", str(pdf))
              .splitlines()[2:]]
    images = [int(cells[0]) for cells in listed if cells and cells[2] == "image"]  # no smask
    found = {}
    for number in range(1, pages + 1):
        text = _squeezed(_poppler("pdftotext", "-f", str(number), "-l", str(number),
                                  str(pdf), "-"))
        if number == 1:
            assert text.startswith(_squeezed(title)), "the title opens the handout"
            text = text[len(_squeezed(title)):]
        on_page = [s for s in sections if _squeezed(s["heading"]) in text]
        assert on_page and text.startswith(_squeezed(on_page[0]["heading"])), \
            f"page {number} does not start with a step's heading: a section was cut"
        for s, after in zip(on_page, on_page[1:] + [None], strict=True):
            start = text.index(_squeezed(s["heading"]))
            part = text[start:text.index(_squeezed(after["heading"])) if after else None]
            assert _squeezed(s["narration"]) in part and _squeezed(s["lastRow"]) in part, \
                f"step {s['step']} is not whole on page {number}"
            found[s["step"]] = number
        assert images.count(number) == len(on_page), f"page {number}: one image per section"
    assert sorted(found) == [s["step"] for s in sections]
    return pages


@pytest.mark.parametrize(("program", "steps"), [(POST_1, "0-4"), (POST_3, "10-14")],
                         ids=["post1", "post3"])
def test_the_handout_prints_one_whole_section_per_step(from_disk, tmp_path, program, steps,
                                                        screenshot_dir, request):
    path = tmp_path / "handout.html"
    path.write_text(components_cli.make("handout", _program_file(tmp_path, program), [],
                                        "route-stack", steps), encoding="utf-8")
    first, last = map(int, steps.split("-"))
    page, asked = from_disk(path)
    sections = _sections(page)
    assert [s["step"] for s in sections] == list(range(first, last + 1))
    assert all(s["image"].startswith("data:image/png;base64,") and s["drawn"] > 300
               for s in sections), "each section holds the graph as a PNG image"
    assert page.locator(".ho-work").count() == 0  # the stepper drew them and went
    title = page.title()
    for paper, (width, height) in PAPERS.items():
        # measured as printed: each section shorter than the page's printable height
        page.set_viewport_size({"width": round((width - 2 * MARGIN_MM) * PX_PER_MM),
                                "height": 800})
        page.emulate_media(media="print")
        heights = page.evaluate("[...document.querySelectorAll('section.ho-step')]"
                                ".map(s => s.getBoundingClientRect().height)")
        assert max(heights) < (height - 2 * MARGIN_MM) * PX_PER_MM
        pdf = tmp_path / f"handout-{paper}.pdf"
        page.pdf(path=str(pdf), format=paper, print_background=True)
        pages = _check_pdf(pdf, sections, title)
        # the pages as pictures, to look at (artifacts/screenshots)
        stem = screenshot_dir / f"browser-test_slides_handout-{request.node.callspec.id}-{paper}"
        _poppler("pdftoppm", "-r", "60", "-png", str(pdf), str(stem))
        assert len(list(screenshot_dir.glob(stem.name + "-*.png"))) >= pages
    assert asked == [], f"the handout asked for more than its file: {asked}"
