"""Switching algorithm keeps the moment, not the raw step number (pure: no Streamlit).

Step 2 of the route stack and step 2 of the topological sweep are different moments. The
rule: the start stays the start, the end stays the end, and in between the page lands on
the first step of the other algorithm at which every node complete now is complete too
(the same gradients are final, so the ledger reads the same for them), never on its start
or its end unless it has no other step. Forward mode shares no moment with a backward pass (its
tangents are not gradients): between them, in between lands as far through the other walk.
"""

from __future__ import annotations

from autodiff.trace import FORWARD, Trace

__all__ = ["RULE", "matching_step"]

RULE = ("Switching keeps the moment: the start stays the start and the end the end; in "
        "between you land on the first step of the other algorithm at which every gradient "
        "that is final now is final too. To or from forward mode, which shares no moment "
        "with them, you land as far through its walk as you were.")


def matching_step(source: Trace, step: int, target: Trace) -> int:
    """The step of ``target`` that matches ``step`` of ``source`` (same graph)."""
    last = target.last_index
    if step <= 0:
        return 0
    if step >= source.last_index:
        return last
    if FORWARD in (source.algorithm, target.algorithm):
        middle = round(step * last / source.last_index)
        return max(1, min(middle, last - 1)) if last >= 2 else middle
    final = source.state(step).complete
    lo, hi = 0, last  # the first j with ``final`` within target's complete set (monotone in j)
    while lo < hi:
        mid = (lo + hi) // 2
        if final <= target.state(mid).complete:
            hi = mid
        else:
            lo = mid + 1
    return max(1, min(lo, last - 1)) if last >= 2 else lo
