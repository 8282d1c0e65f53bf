"""Input values written as text: one syntax for the command line and the URL.

    a=1,b=2.5      the canonical form (what ``format_values`` writes)
    a:1, b:2.5     the URL's old form, still read (links already shared keep working)

Parts are separated by commas; an option may be given several times (``--values a=1
--values b=2``); spaces around names and numbers are ignored. A name is an ASCII
identifier; a number is a plain ASCII decimal (``-2.5e-3``, ``.5``) and must be finite:
no ``inf``, ``nan``, ``1_000``, ``0x10`` or other scripts' digits.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping

from ..core.numbers import EXACT, fmt

__all__ = ["ValuesError", "format_values", "parse_values"]

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z", re.ASCII)
_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\Z", re.ASCII)  # not ٣
_SEPARATOR = re.compile(r"[=:]")


class ValuesError(ValueError):
    """A part of a values text that is not NAME=NUMBER, or a name given twice."""


def parse_values(text: str | Iterable[str], *, skip_malformed: bool = False) -> dict[str, float]:
    """``"a=1,b=2"`` (or ``"a:1,b:2"``, or ``["a=1", "b=2"]``) -> ``{"a": 1.0, "b": 2.0}``.

    A bad part raises ValuesError naming it; with ``skip_malformed`` it is left out
    instead (for a link typed by hand: the good parts still count). Empty parts, as in
    ``a=1,``, are ignored. A name given twice is an error (skipped: the first counts).
    """
    texts = [text] if isinstance(text, str) else list(text)
    values: dict[str, float] = {}
    for option in texts:
        for part in option.split(","):
            if not part.strip():
                continue
            try:
                name, number = _read_part(part, values)
            except ValuesError:
                if skip_malformed:
                    continue
                raise
            values[name] = number
    return values


def _read_part(part: str, seen: Mapping[str, float]) -> tuple[str, float]:
    pieces = _SEPARATOR.split(part, maxsplit=1)
    name, number = (p.strip() for p in pieces) if len(pieces) == 2 else (part.strip(), "")
    if not _NAME.match(name) or not _NUMBER.match(number):
        raise ValuesError(f"{part.strip()!r} is not NAME=NUMBER (e.g. a=1.5,b=-2)")
    value = float(number)
    if not math.isfinite(value):  # 1e400 is a plain decimal, but not a float
        raise ValuesError(f"{part.strip()!r}: {number} is too large for a float")
    if name in seen:
        raise ValuesError(f"`{name}` is given twice")
    return name, value


def _exact(x: float) -> str:
    """A value written exactly: ``4``, ``-0``, ``0.1``, ``1e+16`` (``float()`` reads it back)."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"{x} is not a finite number")
    return fmt(x, EXACT)


def format_values(values: Mapping[str, float]) -> str:
    """``{"a": 4.0, "b": 0.1}`` -> ``a=4,b=0.1``: the canonical form, every digit kept."""
    return ",".join(f"{name}={_exact(x)}" for name, x in values.items())
