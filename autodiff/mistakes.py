"""The backward pass done wrong on purpose, the three ways a student writing backprop by hand
gets it wrong (micrograd's most asked questions), to show beside the right one and the
central-difference check that exposes them:

* ``overwrite``: a node's gradient is set to each route value as it is popped instead of
  added to it, so a node reached by several routes keeps only the last one (``x*x`` at 3
  gives 3 where the derivative is 6);
* ``twice``: the backward pass run a second time without zeroing the gradients first, so
  every gradient below the output is doubled;
* ``no_backward``: the gradients read before any backward pass, all zero.

Each returns the gradients in the shape ``gradients`` gives (node -> value, the output
included), walked by the same route stack as the right one (``route_stack``).
"""

from __future__ import annotations

from .core.backward import gradients, route_stack
from .core.ops import Node
from .numeric import agree, numerical_gradients

__all__ = ["WHAT_IFS", "check_what_if", "what_if"]

#: each mistake: its name on the page, and the one sentence that says why it is wrong
WHAT_IFS = {
    "overwrite": ("Overwrite instead of add",
                  "a node reached by several routes must add every route's value; set to each "
                  "in turn, it keeps only the last one."),
    "twice": ("Backward twice without zeroing",
              "gradients accumulate: a second pass adds its values onto the first's, so "
              "every gradient is doubled unless they are zeroed in between."),
    "no_backward": ("No backward yet",
                    "gradients are made by the backward pass; read before it has run, every "
                    "gradient is still 0."),
}


def what_if(output: Node, mistake: str) -> dict[Node, float]:
    """The gradients ``mistake`` (a key of ``WHAT_IFS``) gives."""
    if mistake == "overwrite":
        kept: dict[Node, float] = {output: 1.0}
        for popped, _stack in route_stack(output):
            if popped is not None:
                kept[popped[0]] = popped[2]  # set, where the post's algorithm adds
        return kept
    right = gradients(output)
    if mistake == "twice":
        return {node: g if node is output else 2 * g for node, g in right.items()}
    if mistake == "no_backward":
        return dict.fromkeys(right, 0.0)
    raise ValueError(f"unknown mistake {mistake!r}: use one of {', '.join(WHAT_IFS)}")


def check_what_if(output: Node, mistake: str) -> list[dict]:
    """Per input: the mistaken gradient, the right one, the central-difference estimate and
    whether the mistaken one agrees with it (the check that exposes the mistake)."""
    wrong, right = what_if(output, mistake), gradients(output)
    central = numerical_gradients(output)
    return [{"node": node, "wrong": wrong.get(node, 0.0), "right": right[node],
             "central": estimate, "agree": agree(wrong.get(node, 0.0), estimate)}
            for node, estimate in central.items()]
