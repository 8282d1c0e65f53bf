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
from components import geometry as geo  # noqa: E402
from components import graph_view  # noqa: E402
from components import view_model as vm  # noqa: E402
from components.presets import PRESETS  # noqa: E402

OUT = REPO / "artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking"]

# vis-network's own geometry, in its canvas coordinates
READ_DRAWING = """() => {
  const net = network, boxes = {}, labels = {}, edges = [];
  for (const id of net.body.nodeIndices) {
    const b = net.getBoundingBox(id);
    boxes[id] = [b.left, b.top, b.right, b.bottom];
  }
  for (const id of net.body.edgeIndices) {
    const e = net.body.edges[id], via = e.edgeType.getViaNode();
    const points = [];
    for (let i = 0; i <= 32; i++) {
      const p = e.edgeType.getPoint(i / 32, via);
      points.push([p.x, p.y]);
    }
    edges.push([e.fromId, e.toId, points]);
    // where drawLabel puts it: the edge's point at t = 0.5, after the arrows set its ends
    const s = e.labelModule.size, m = e.edgeType.getPoint(0.5, via);
    labels[id] = [m.x - s.width / 2, m.y - s.height / 2, m.x + s.width / 2, m.y + s.height / 2];
  }
  return {boxes, labels, edges};
}"""


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
            drawn = page.evaluate(READ_DRAWING)
            found = geo.problems({k: tuple(v) for k, v in drawn["boxes"].items()},
                                 [(a, b, [tuple(q) for q in pts]) for a, b, pts in drawn["edges"]],
                                 {k: tuple(v) for k, v in drawn["labels"].items()})
            scale = page.evaluate("network.getScale()")
            page.screenshot(path=str(OUT / f"layout-{n}.png"))
            print(f"{n}. {label}: scale {scale:.2f}, node text {scale * vm.FONT_SIZE:.0f} px "
                  f"on screen; problems in vis's own drawing: {found or 'none'}")
        browser.close()


if __name__ == "__main__":
    main()
