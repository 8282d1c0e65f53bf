"""A program of several outputs, as view data (no Streamlit): its Jacobian (rows outputs,
columns inputs, from ``Program.jacobian``, one reverse pass per output) beside its check by
central differences, each entry with ✓ or ✗, and how many passes each mode needs."""

from __future__ import annotations

from collections.abc import Mapping

from autodiff.numeric import agree
from autodiff.trace import fmt

__all__ = ["OUTPUT_COLUMN", "check_rows", "jacobian_rows", "passes_note"]

OUTPUT_COLUMN = "output"  # the rows' first column: ∂(this output)/∂(each input)

Table = Mapping[str, Mapping[str, float]]  # output -> input -> number, in order


def jacobian_rows(jacobian: Table) -> list[dict[str, str]]:
    """One row per output: its name, then its derivative with respect to each input, as the
    page writes numbers (``fmt``)."""
    return [{OUTPUT_COLUMN: output, **{x: fmt(d) for x, d in row.items()}}
            for output, row in jacobian.items()]


def check_rows(jacobian: Table, numerical: Table) -> list[dict[str, str]]:
    """The same table by central differences, each entry marked ✓ where it agrees with the
    reverse-mode entry and ✗ where it does not."""
    return [{OUTPUT_COLUMN: output,
             **{x: f"{fmt(numerical[output][x])} {'✓' if agree(d, numerical[output][x]) else '✗'}"
                for x, d in row.items()}}
            for output, row in jacobian.items()]


def passes_note(outputs: int, inputs: int) -> str:
    """How many passes each mode needs for this Jacobian: a reverse pass gives a whole row,
    a forward pass a whole column."""
    return (f"Reverse mode needs one backward pass per output: {_count(outputs, 'pass')} here, "
            f"each giving a whole row. Forward mode needs one pass per input: "
            f"{_count(inputs, 'pass')}, each giving a whole column. With few outputs and many "
            "inputs, as a loss has, reverse mode is the cheap way.")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}es"
