"""Screenshots of every preset drawn with the layout, in Debian's Chromium at 1280×720, and
the clean-drawing check run on what vis-network itself drew (its node boxes, edge paths and
label boxes read from the page). Not a test: prints what it finds and saves PNGs.

    python benchmarks/shoot_layout.py   # -> artifacts/screenshots/layout-*.png
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from autodiff.program import compile_program  # noqa: E402
from autodiff.trace import ROUTE_STACK, make_trace  # noqa: E402
from components import drawing, graph_view  # noqa: E402
from components import view_model as vm  # noqa: E402
from components.presets import PRESETS  # noqa: E402

OUT = REPO / "artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]

def main() -> None:
    from playwright.sync_api import sync_playwright
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.route("**/*", lambda route: route.abort()
                   if not route.request.url.startswith(("file:", "data:", "about:"))
                   else route.continue_())
        for n, (label, text) in enumerate(PRESETS.items(), 1):
            graph = compile_program(text).graph
            trace = make_trace(graph, ROUTE_STACK, max_steps=10_000)
            state = trace.state(min(3, trace.last_index))
            html = graph_view.standalone_html(graph, state, vm.layout(graph))
            path = OUT / f"layout-{n}.html"
            path.write_text(html)
            page.goto(path.as_uri())
            page.wait_for_function("typeof network !== 'undefined' && "
                                   "network.body.nodeIndices.length > 0")
            page.evaluate("network.fit()")
            found = drawing.page_problems(page, "network")
            scale = page.evaluate("network.getScale()")
            page.screenshot(path=str(OUT / f"layout-{n}.png"))
            print(f"{n}. {label}: scale {scale:.2f}, node text {scale * vm.FONT_SIZE:.0f} px "
                  f"on screen; problems in vis's own drawing: {found or 'none'}")
        browser.close()


if __name__ == "__main__":
    main()
