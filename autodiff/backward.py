"""Two ways to run the backward pass, and how to count the work of the first.

``get_gradients`` is the seed post's algorithm: a stack of (node, route value)
entries, one pop per *route* from the output to a node. ``gradients`` is the
topological sweep every framework uses: one visit per *node*. On graphs where
subexpressions are shared, routes multiply (``y = y*y + y`` doubles them at each
line), so ``count_routes`` says in advance how many pops the seed's way will make.
"""

from __future__ import annotations

from collections.abc import Iterator

from .nodes import Node


class RouteLimitError(RuntimeError):
    """The seed's route stack would make more pops than the caller allowed."""

    def __init__(self, pops: int, limit: int):
        self.pops, self.limit = pops, limit
        super().__init__(f"the route stack would make {pops:,} pops (limit {limit:,}); "
                         "use the topological algorithm, gradients(), instead")


# ---- the seed's route stack ----

def get_gradients(output: Node, max_pops: int | None = None) -> dict:
    """d(output)/d(node) for every node below ``output``, by walking every route.

    Exactly the seed's order: the stack starts as a copy of the output's
    (input, local derivative) pairs; each pop adds its route value into that
    node's gradient ("add together the different routes") and pushes the node's
    inputs with local derivative × route value ("multiply the edges of a route").
    Cost: one pop per route, which can be exponential in the graph's size; pass
    ``max_pops`` to refuse (RouteLimitError) before starting if it would be more.
    The output itself is not in the result, as in the post.
    """
    if max_pops is not None:
        pops = count_pops(output)
        if pops > max_pops:
            raise RouteLimitError(pops, max_pops)
    gradients: dict = {}
    stack = output.grad.copy() if output.grad else []  # a leaf's .grad is an empty tuple
    while stack:
        node, route_value = stack.pop()
        gradients[node] = gradients.get(node, 0) + route_value
        for child, local in node.grad:
            stack.append((child, local * route_value))
    return gradients


# ---- the topological sweep ----

def _consumer_counts(output: Node) -> dict:
    """How many edges come into each node from above (from nodes that use it)."""
    counts = {output: 0}
    stack = [output]
    pop, push = stack.pop, stack.append
    while stack:
        for child, _ in pop().grad:
            if child in counts:
                counts[child] += 1
            else:
                counts[child] = 1
                push(child)
    return counts


def topological_order(output: Node) -> Iterator[Node]:
    """Every node below ``output``, each after all the nodes that use it (output first).

    Kahn's algorithm, iterative: linear in the number of edges, and a chain a
    million nodes deep needs no recursion. Deterministic: inputs are taken in order.
    """
    counts = _consumer_counts(output)
    ready = [output]
    while ready:
        node = ready.pop()
        yield node
        for child, _ in node.grad:
            left = counts[child] - 1
            counts[child] = left
            if left == 0:
                ready.append(child)


def gradients(output: Node) -> dict:
    """d(output)/d(node) for every node below ``output`` and the output itself (1.0).

    One reverse sweep in topological order: when a node is reached, every node that
    uses it has already passed its share down, so its gradient is final; it then
    passes gradient × local derivative to each input. Linear in the edges.
    """
    # This is topological_order() written out in one loop, because it is the engine's
    # hot path: the same visits in the same order (so every sum is added up in the same
    # order as a trace that steps through it), minus the leaves, which pass nothing on.
    grads = _tree_sweep(output)
    if grads is not None:
        return grads
    counts = _op_user_counts(output)
    grads = {output: 1.0}
    ready = [output]
    pop, push = ready.pop, ready.append
    while ready:
        node = pop()
        grad = grads[node]  # final: every user of `node` has passed its share down
        for child, local in node.grad:
            if child in grads:
                grads[child] += local * grad  # "add together the different routes"
            else:
                grads[child] = 0.0 + local * grad  # 0.0 + as in sum(): never -0.0
            if child.grad:  # an op, not a leaf: visit it once all its users have been
                left = counts[child] - 1
                counts[child] = left
                if not left:
                    push(child)
    return grads


def _tree_sweep(output: Node) -> dict | None:
    """The same sweep for a graph where no op is used twice (leaves may be), else None.

    Then every op has one user, so its gradient is final as soon as that user has
    passed it down: no counting pass is needed, and the visits are exactly those of
    the counted sweep. An op reached a second time means the graph shares it: give up
    (the caller starts again with counts). Trees are common, and this halves their time.
    """
    grads = {output: 1.0}
    ready = []
    pop, push = ready.pop, ready.append
    node, grad = output, 1.0
    while True:
        # The op to visit next is the last one found ready; it is kept in `last` rather
        # than pushed and popped at once (same order, a chain never touches the stack).
        last = None
        for child, local in node.grad:
            if child not in grads:
                child_grad = grads[child] = 0.0 + local * grad
                if child.grad:
                    if last is not None:
                        push(last)
                    last, last_grad = child, child_grad
            elif child.grad:
                return None  # an op with two users: its gradient was not final
            else:
                grads[child] += local * grad  # a shared leaf: add up its routes
        if last is not None:
            node, grad = last, last_grad
        elif ready:
            node = pop()
            grad = grads[node]
        else:
            break
    return grads


def _op_user_counts(output: Node) -> dict:
    """_consumer_counts() for the ops only (leaves are never visited by gradients())."""
    counts = {output: 0}
    stack = [output]
    pop, push = stack.pop, stack.append
    while stack:
        for child, _ in pop().grad:
            if child.grad:
                if child in counts:
                    counts[child] += 1
                else:
                    counts[child] = 1
                    push(child)
    return counts


# ---- counting routes without walking them ----

def count_routes(output: Node) -> dict:
    """How many routes lead from ``output`` to each node (exact Python ints).

    A route's count flows down like a gradient whose local derivatives are all 1:
    routes(input) = sum of routes(user) over every edge user → input. The output
    has one route, the empty one. Linear in the edges, whatever the counts.
    """
    routes = {output: 1}
    for node in topological_order(output):
        here = routes[node]
        for child, _ in node.grad:
            routes[child] = routes.get(child, 0) + here
    return routes


def count_pops(output: Node) -> int:
    """How many pops ``get_gradients(output)`` makes: every route but the empty one."""
    return sum(count_routes(output).values()) - 1
