"""One number formatter, with named precisions: how every number is written for people.

Each place that shows a number picks a precision by name instead of writing its own
format string, so the narration, the graph labels, the error messages, the CLI and the
exports cannot drift apart:

- ``FULL``: every digit (``repr``), for tables and exports that must read back exactly;
- ``EXACT``: every digit without a trailing ``.0`` (``4``, ``0.1``), the value syntax;
- ``STEP``: 6 significant digits, ``1e+6`` not ``1e+06``, zero as ``0``: the narration;
- ``LABEL``: 4 significant digits, for graph labels where room is short;
- ``PLAIN``: Python's ``:g`` (6 digits, ``1e+06``), for constants inside formulas;
- ``MESSAGE``: ``:g`` but a whole float keeps its ``.0`` (``log of -1.0``), in errors.

Ints are written as they are (only ``LABEL`` rounds an int wider than 7 digits); bools and
``None`` as ``str`` does; an array as its shape and first entries; anything else not a
real number as it formats itself (an array op's rule: ``xᵀ @ g``); a tuple (an
op's operands) as its items joined by "and".
"""

from __future__ import annotations

from dataclasses import dataclass
from numbers import Real


@dataclass(frozen=True)
class Precision:
    digits: int | None  # significant digits; None: every digit (repr)
    trim_exponent: bool = False  # 1e+06 -> 1e+6
    zero: bool = False  # 0.0 and -0.0 -> "0"
    point: bool = False  # a whole float keeps ".0" (only with digits)
    widest_int: int | None = None  # ints at least this wide are rounded like floats
    array_entries: int = 3  # an array (the array engine's) shows its shape and this many


FULL = Precision(digits=None, point=True)
EXACT = Precision(digits=None)
STEP = Precision(digits=6, trim_exponent=True, zero=True)
LABEL = Precision(digits=4, trim_exponent=True, zero=True, widest_int=10**7, array_entries=2)
PLAIN = Precision(digits=6)
MESSAGE = Precision(digits=6, point=True)


def fmt(x, precision: Precision = STEP) -> str:
    """``x`` written for people at the named ``precision`` (``STEP`` by default)."""
    if isinstance(x, tuple):
        return " and ".join(fmt(v, precision) for v in x)
    if isinstance(x, bool) or x is None:
        return str(x)
    if getattr(x, "ndim", 0):  # an array engine's value: ``50×10 [0.5488, 0.7152, …]``
        from .array import array_text  # numpy only when an array is shown

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
