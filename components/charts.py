"""What every chart on the page shares, as plain Vega-Lite (no Streamlit here).

The charts are drawn by ``st.vega_lite_chart``, whose Vega-Lite is bundled in Streamlit's front
end: nothing is fetched. Streamlit's theme writes axis and legend text at 0.75 rem, 13.5 px
with this app's 18 px base font: too small for the back of a lecture hall, so every chart
takes ``readable``'s config, which the theme leaves as given.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["TEXT_PX", "readable"]

TEXT_PX = 16  # tick labels, axis titles and legend entries, on screen
# A tick's number, short: four significant digits at most, trailing zeros dropped; grouped
# digits from 0.0001 up to ten million (0.25, 1,800, 550,000), powers of ten beyond (1e-30,
# 5.6e+247); never the 2.00000000000… of Vega's default format on a huge range.
SHORT_NUMBER = ("datum.value == 0 || (abs(datum.value) >= 1e-4 && abs(datum.value) < 1e7) "
                "? format(datum.value, ',.4~r') : format(datum.value, '.3~e')")


def readable(spec: Mapping) -> dict:
    """``spec`` with large axis and legend text and short numbers on every axis."""
    text = {"labelFontSize": TEXT_PX, "titleFontSize": TEXT_PX}
    return {**spec, "config": {
        "axis": {**text, "labelExpr": SHORT_NUMBER, "labelOverlap": True},
        "legend": {**text, "symbolStrokeWidth": 3, "symbolSize": 600},
    }}
