"""How wide a label is on the graph, in vis pixels, without a browser.

The layout reserves room for every node box and edge label at the widest text it can show,
so the better the estimate, the larger the graph is drawn. The page asks vis for
``FONT_FACE``: Arial, or a font with Arial's widths (Liberation Sans on Linux, Helvetica on
a Mac), whose advance widths are below, in em, rounded up. They were measured in Chromium with
canvas ``measureText`` (``tests/browser/test_text_metrics.py`` measures them again, so a wrong
figure fails there). A character not listed counts as ``WIDE_EM``, wider than any listed.
"""

from __future__ import annotations

from autodiff.trace import fmt

__all__ = ["FONT_FACE", "WIDEST_NUMBERS", "number_width", "text_width"]

FONT_FACE = "Arial, 'Liberation Sans', Helvetica, sans-serif"

_EM_BY_CHARS = {
    0.188: "′", 0.191: "'", 0.223: "ijl", 0.246: "⁽⁾", 0.26: "|",
    0.278: " !,./:;I[\\]ft·", 0.334: "()-`r{}²³¹", 0.355: '"″', 0.385: "ᵀ", 0.39: "*",
    0.401: "⁴⁵⁶⁷⁸⁹⁰", 0.47: "^", 0.495: "∂", 0.5: "Jcksvxyz", 0.521: "‴", 0.549: "÷√",
    0.557: "#$0123456789?L_abdeghnopqu", 0.584: "+<=>~×−", 0.611: "FTZ", 0.667: "&ABEKPSVXY",
    0.723: "CDHNRUw", 0.77: "▶", 0.778: "GOQ", 0.834: "Mm", 0.838: "✓", 0.89: "%",
    0.944: "W", 1.0: "…→", 1.016: "@",
}
GLYPH_EM = {char: em for em, chars in _EM_BY_CHARS.items() for char in chars}
WIDE_EM = 1.1

#: the widest texts ``fmt`` writes for a number at display precision (four significant
#: digits), for exponents under 100: written by ``fmt`` itself, so they follow its format
WIDEST_NUMBERS = tuple(fmt(v) for v in (-1.234e+10, -1.234e-10, -0.0001234, -9999999))


def text_width(text: str, size: float) -> float:
    """The width of one line of ``text`` at font ``size`` px."""
    return size * sum(GLYPH_EM.get(char, WIDE_EM) for char in text)


def number_width(size: float) -> float:
    """The widest a number can be written at font ``size`` px."""
    return max(text_width(text, size) for text in WIDEST_NUMBERS)
