"""One number formatter, with named precisions: how every number is written for people.

Each place that shows a number picks a precision by name instead of writing its own
format string, so the narration, the graph labels, the error messages, the CLI and the
exports cannot drift apart:

- ``DISPLAY``: what the stepper shows, everywhere on the page (node labels, edge labels,
  the stack, the narration, the route ledger, the Gradients check): 4 significant digits,
  ``5.889e+4`` not ``5.889e+04``, zero as ``0``. One precision, so a number the
  narration says is the number the node, the stack and the ledger show, character for
  character; 4 digits and an array's first 2 entries, because a graph label has little
  room;
- ``FULL``: every digit (``repr``), for tables and exports that must read back exactly;
- ``EXACT``: every digit without a trailing ``.0`` (``4``, ``0.1``), the value syntax;
- ``PLAIN``: Python's ``:g`` (6 digits, ``1e+06``), for constants inside formulas;
- ``MESSAGE``: ``:g`` but a whole float keeps its ``.0`` (``log of -1.0``), in errors.

A negative number is written with ``MINUS``, the ASCII hyphen-minus, as Python and the
program text write it (``c = a - b``, a number field's ``-2``), so a number copied from
the page reads back. A sum of terms writes a negative term as ``a - b``, never
``a + -b``: ``signed_term`` is that rule, for the narration and the route ledger alike.

Ints are written as they are (``DISPLAY`` rounds an int of 8 digits or more); bools and
``None`` as ``str`` does; an array as its shape and first entries; anything else not a
real number as it formats itself (an array op's rule: ``xᵀ @ g``); a tuple (an
op's operands) as its items joined by "and".
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real

__all__ = [
    "DISPLAY", "EXACT", "FULL", "MESSAGE", "MINUS", "PLAIN", "array_text", "fmt", "shape_text",
    "signed_term",
]


@dataclass(frozen=True)
class Precision:
    digits: int | None  # significant digits; None: every digit (repr)
    trim_exponent: bool = False  # 1e+06 -> 1e+6
    zero: bool = False  # 0.0 and -0.0 -> "0"
    point: bool = False  # a whole float keeps ".0" (only with digits)
    widest_int: int | None = None  # ints at least this wide are rounded like floats
    array_entries: int = 3  # an array (the array engine's) shows its shape and this many


DISPLAY = Precision(digits=4, trim_exponent=True, zero=True, widest_int=10**7, array_entries=2)
FULL = Precision(digits=None, point=True)
EXACT = Precision(digits=None)
PLAIN = Precision(digits=6)
MESSAGE = Precision(digits=6, point=True)


MINUS = "-"


def shape_text(shape: tuple) -> str:
    """``50×10``; a vector's length alone (``10``); ``scalar`` for ()."""
    return "×".join(map(str, shape)) if shape else "scalar"


def array_text(x, entries: int = 3, digits: int = 4) -> str:
    """``50×10 [0.5488, 0.7152, 0.6028, …]``: the shape, then the first entries (of a
    numpy array, read through its own ``shape`` and ``flat``: numpy is not imported here)."""
    shown = ", ".join(f"{v:.{digits}g}" for v in x.flat[:entries])
    return f"{shape_text(x.shape)} [{shown}{', …' if x.size > entries else ''}]"


def fmt(x, precision: Precision = DISPLAY) -> str:
    """``x`` written for people at the named ``precision`` (``DISPLAY`` by default)."""
    if isinstance(x, tuple):
        return " and ".join(fmt(v, precision) for v in x)
    if isinstance(x, bool) or x is None:
        return str(x)
    if getattr(x, "ndim", 0):  # an array engine's value: ``50×10 [0.5488, 0.7152, …]``
        return array_text(x, entries=precision.array_entries, digits=precision.digits or 4)
    if not isinstance(x, Real):  # anything else as it formats itself (a rule: ``xᵀ @ g``)
        return format(x)
    if isinstance(x, int) and (precision.widest_int is None or abs(x) < precision.widest_int):
        return str(x)
    x = float(x)
    if precision.zero and x == 0:
        return "0"
    if precision.digits is None:
        text = repr(x)
        return text if precision.point else text.removesuffix(".0")
    text = f"{x:.{precision.digits}g}"
    if precision.trim_exponent:
        text = text.replace("e+0", "e+").replace("e-0", "e-")
    if precision.point and not any(c in text for c in ".ein"):
        text += ".0"
    return text


def signed_term(x, precision: Precision = DISPLAY) -> str:
    """``x`` as a later term of a sum, its sign as the operator: ``+ 4``, ``- 0.5``."""
    text = fmt(x, precision)
    if text.startswith(MINUS):
        return f"{MINUS} {text[len(MINUS):]}"
    return f"+ {text}"
