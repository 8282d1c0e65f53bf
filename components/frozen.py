"""The page's stepper frozen into one file: a slideshow (``slides_html``) and a printable
handout (``handout_html``) of a chosen step range, each a self-contained HTML file that
needs no server and asks nothing of the network.

Both hold the stepper's own code (``stepper.assets``: the rule modules and stepper.js, run
as one module, as the app runs it), vis-network in line, the stepper's CSS and the payload
the app sends (``replay``: the constant part and the windows of steps up to the range's
last step, which the page replays from step 0). ``frozen.js`` mounts the stepper on that
payload with no server to report to: the slideshow steps it with the app's keys (→ Space
PageDown, ← PageUp: what a clicker sends); the handout steps it through the chosen steps
when the file is opened and keeps, per step, the graph as a PNG image (the drawn canvas),
the narration, the stack and the ledger, laid out for print (``frozen.css``). No Streamlit
call of its own: the app's download buttons and ``python -m components`` (cli.py) use it.
"""

from __future__ import annotations

import base64
import json
import re
from functools import lru_cache
from html import escape
from pathlib import Path

from autodiff.trace.step_table import MAX_STEPS, StepsError, parse_steps

from . import graph_view, replay
from .model import Built
from .stepper import MAX_SCALE, MIN_SCALE, assets, walk_key

__all__ = ["KINDS", "MAX_STEPS", "StepsError", "frozen_html", "handout_html", "parse_steps",
           "slides_html"]

HERE = Path(__file__).parent
KATEX = HERE.parent / "static" / "katex"  # the app serves it; a frozen file holds it
KINDS = ("slides", "handout")
_SCRIPT_END = re.compile(r"</(script)", re.I)


@lru_cache(maxsize=1)
def _files() -> tuple[str, str]:
    read = lambda name: (HERE / name).read_text(encoding="utf-8")  # noqa: E731
    return read("frozen.js"), read("frozen.css")


@lru_cache(maxsize=1)
def _katex() -> tuple[str, str]:
    """KaTeX's script and its CSS with every font in line (woff2 data URLs), so the chain
    rule tab is typeset in a file opened from disk, as in the app."""
    def font(match: re.Match) -> str:
        data = base64.b64encode((KATEX / match[1]).read_bytes()).decode("ascii")
        return f"url(data:font/woff2;base64,{data})"

    css = re.sub(r"url\((fonts/[\w-]+\.woff2)\)", font,
                 (KATEX / "katex.min.css").read_text(encoding="utf-8"))
    return (KATEX / "katex.min.js").read_text(encoding="utf-8"), css


def _inline(text: str) -> str:
    """Text that stays inside its <script> element whatever it holds."""
    return _SCRIPT_END.sub(r"<\\/\1", text)


def _json(obj) -> str:
    """JSON inside a <script type="application/json"> element: every ``<`` written
    ``\\u003c``, so no text in it (``</script``, ``<!--``) can end or bend the element."""
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")


def frozen_payload(built: Built, steps: range, *, present: bool) -> dict:
    """What the stepper is mounted with (the data stepper.py sends, at the range's first
    step, with every window of steps 0..the range's last: ``windows``), and the range."""
    trace, last = built.trace, steps.stop - 1
    rep = replay.Replay(trace, last=last)
    base = replay.base_payload(built.ident, trace, built.positions, built.numeric, built.counts,
                               graph_view.to_vis(trace.graph, trace.state(0), built.positions),
                               built.shades)
    base.update(first=rep.window(0), walk=walk_key(trace), last=last,
                passes=[k for k in base["passes"] if k <= last],
                windows=[list(b) for b in rep.bounds])
    data = {"id": built.ident, "base": json.dumps(base, separators=(",", ":"),
                                                  ensure_ascii=False),
            "start": steps.start, "chunk": None, "chunk_index": None, "follow": False,
            # a handout is read up close: its graph is always whole, whatever its text size
            "fit": 0, "min_scale": MIN_SCALE if present else 0, "max_scale": MAX_SCALE,
            "stale": False,
            "present": present, "letters": True, "mode": "watch", "exercise": None,
            "exercises": False, "predict_asked": 0}
    windows = [json.dumps(rep.window(i), separators=(",", ":"), ensure_ascii=False)
               for i in range(1, len(rep.bounds))]
    return {"data": data, "windows": windows, "steps": [steps.start, last]}


def frozen_html(kind: str, built: Built, steps: range, title: str) -> str:
    """The slideshow or the handout (``kind``) of ``steps`` of ``built``'s walk."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")
    if len(steps) > MAX_STEPS or not steps or steps.stop - 1 > built.trace.last_index:
        raise StepsError(f"steps {steps.start}-{steps.stop - 1}: at most {MAX_STEPS} steps "
                         f"of 0-{built.trace.last_index}")
    script, css = assets()
    boot, page_css = _files()
    katex_js, katex_css = _katex()
    payload = frozen_payload(built, steps, present=kind == "slides")
    return "\n".join([
        "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title>",
        f"<style>\n{katex_css}\n{css}\n{page_css}\n</style>",
        # KaTeX in line; the element's id tells the stepper it is here (nothing to fetch)
        f'<script id="ad-katex-js">\n{_inline(katex_js)}\n</script>',
        f"<script>\n{_inline(graph_view.vis_source())}\n</script>",
        f'<script type="application/json" id="ad-stepper-code">{_json(script)}</script>',
        f'<script type="application/json" id="ad-frozen">{_json(payload)}</script>',
        "</head>", f'<body class="ad-frozen ad-{kind}" data-kind="{kind}">',
        f'<main id="ad-frozen-main" aria-label="{escape(title, quote=True)}"></main>',
        f'<script type="module">\n{_inline(boot)}\n</script>', "</body>", "</html>", ""])


def slides_html(built: Built, steps: range, title: str = "Slideshow") -> str:
    return frozen_html("slides", built, steps, title)


def handout_html(built: Built, steps: range, title: str = "Handout") -> str:
    return frozen_html("handout", built, steps, title)
