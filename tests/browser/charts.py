"""Reading a Vega-Lite chart as the page draws it (Streamlit renders Vega as SVG): its text by
role (axis labels and titles, legend entries) at the size it has on screen, and the stroke and
dash of each line it draws."""

from __future__ import annotations

from tests.browser.pages import WAIT

READABLE_PX = 14  # the smallest text a lecture hall reads from the back

CHART_JS = """(nth) => {
    const chart = document.querySelectorAll('[data-testid="stVegaLiteChart"]')[nth];
    const svg = chart && chart.querySelector('svg');
    if (!svg) return null;
    // on screen: the font size times the SVG's own scale, should it be drawn scaled
    const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
    const role = el => (el.closest('g[class*="role-"]').getAttribute('class').match(
        /role-[a-z-]+/) || [''])[0];
    return {
        text: [...svg.querySelectorAll('text')].filter(t => t.textContent).map(t => ({
            role: role(t), text: t.textContent,
            px: parseFloat(getComputedStyle(t).fontSize) * scale})),
        lines: [...svg.querySelectorAll('g.mark-line path')].map(p => ({
            stroke: p.getAttribute('stroke'),
            dash: p.getAttribute('stroke-dasharray') || ''})),
    };
}"""


def chart(page, nth: int = 0) -> dict:
    """The nth chart's text and lines, once it is drawn."""
    page.wait_for_function(f"() => ({CHART_JS})({nth}) !== null", timeout=WAIT)
    return page.evaluate(CHART_JS, nth)


def texts(drawn: dict, role: str) -> list[dict]:
    """The chart's text of one role: role-axis-label, role-axis-title, role-legend-label."""
    return [t for t in drawn["text"] if t["role"] == role]
