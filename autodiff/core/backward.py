"""Two ways to run the backward pass, and how to count the work of the first.

``get_gradients`` is the seed post's algorithm: a stack of (node, route value)
entries, one pop per *route* from the output to a node. ``gradients`` is the
topological sweep every framework uses: one visit per *node*. On graphs where
subexpressions are shared, routes multiply (``y = y*y + y`` doubles them at each
line), so ``count_routes`` says in advance how many pops the seed's way will make.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from .ops import Node

__all__ = [
    "Edges", "RouteLimitError", "count_pops", "count_routes", "engine_edges", "get_gradients",
    "gradients", "route_stack", "sweep_all", "topological_order", "topological_sweep",
    "user_counts",
]

#: A graph to walk is its output and a function giving a node's (input, local derivative)
#: pairs; for engine nodes that is the seed's ``.grad`` list, for a trace the same pairs
#: by index. Both algorithms are written once, as generators over such a graph.
Edges = Callable[[object], Iterable[tuple[object, object]]]


def engine_edges(node: Node):
    """An engine node's (input, local derivative) pairs: the seed's ``.grad``."""
    return node.grad


def _unit_edges(node: Node):
    """The same edges, each weighted 1: sums along them count routes."""
    return [(child, 1) for child, _ in node.grad]


class RouteLimitError(RuntimeError):
    """The seed's route stack would make more pops than the caller allowed."""

    def __init__(self, pops: int, limit: int):
        self.pops, self.limit = pops, limit
        super().__init__(f"the route stack would make {pops:,} pops (limit {limit:,}); "
                         "use the topological algorithm, gradients(), instead")


# ---- the seed's route stack, written once ----

def route_stack(output, edges: Edges = engine_edges) -> Iterator[tuple]:
    """The seed's walk, one item per step: ``(popped cell, stack)`` after that step.

    The first item is step 0: nothing popped (``None``), and the stack the walk starts
    from, a copy of the output's (input, local derivative) pairs. Each later item is one
    pop. The stack is a linked list of cells ``(node, local, value, parent, below)``:
    ``value`` is the route's value (the product of the locals along it), ``parent`` the
    cell whose pop pushed it (so parents spell the route, up to the output's root cell
    whose parent is None) and ``below`` the next cell down. Pushing never copies, so a
    consumer may keep every stack it was given. A pop's consumer adds ``value`` into the
    node's gradient ("add together the different routes"); the walk pushes the node's
    inputs with local × value ("multiply the edges of a route").
    """
    root = (output, None, 1, None, None)
    head = None
    for child, local in edges(output):
        head = (child, local, local, root, head)
    yield None, head
    while head is not None:
        cell = head
        node, value = cell[0], cell[2]
        head = cell[4]
        for child, local in edges(node):
            head = (child, local, local * value, cell, head)
        yield cell, head


def get_gradients(output: Node, max_pops: int | None = None) -> dict:
    """d(output)/d(node) for every node below ``output``, by walking every route.

    Exactly the seed's order: the stack starts as a copy of the output's
    (input, local derivative) pairs; each pop adds its route value into that
    node's gradient and pushes the node's inputs with local derivative × route value.
    Cost: one pop per route, which can be exponential in the graph's size; pass
    ``max_pops`` to refuse (RouteLimitError) before starting if it would be more.
    The output itself is not in the result, as in the post.
    """
    if max_pops is not None:
        pops = count_pops(output)
        if pops > max_pops:
            raise RouteLimitError(pops, max_pops)
    gradients: dict = {}
    walk = route_stack(output)
    next(walk)  # step 0 pops nothing
    for cell, _ in walk:
        node = cell[0]
        gradients[node] = gradients.get(node, 0) + cell[2]
    return gradients


# ---- the topological sweep, written once ----

def user_counts(output, edges: Edges = engine_edges) -> dict:
    """How many edges come into each node below ``output`` from the nodes that use it."""
    counts = {output: 0}
    stack = [output]
    pop, push = stack.pop, stack.append
    while stack:
        for child, _ in edges(pop()):
            if child in counts:
                counts[child] += 1
            else:
                counts[child] = 1
                push(child)
    return counts


def topological_sweep(output, edges: Edges = engine_edges, seed=1.0, grads: dict | None = None,
                      record: bool = True) -> Iterator[tuple]:
    """Visit every node once, each after all its users: yield ``(node, gradient, passes)``.

    ``gradient`` is final when the node is visited (every user has passed its share);
    ``passes`` lists what the visit passes down, one ``(input, local, value, total)``
    per edge in the op's order: ``value`` = local × gradient, ``total`` the input's
    running gradient after it ("add together the different routes"); None when
    ``record`` is false (for callers that only want the final ``grads``). ``seed`` is
    the output's gradient; ``grads`` (made if None) is filled with every running
    gradient, in the order the nodes are first reached. Kahn's algorithm, iterative:
    linear in the edges, no recursion, deterministic (inputs taken in order, the last
    one ready visited first).
    """
    counts = user_counts(output, edges)
    if grads is None:
        grads = {}
    grads[output] = seed
    ready = [output]
    pop, push, get = ready.pop, ready.append, grads.get
    while ready:
        node = pop()
        grad = grads[node]
        passes = [] if record else None
        for child, local in edges(node):
            value = local * grad
            total = grads[child] = get(child, 0) + value  # 0 + x: never -0.0
            if record:
                passes.append((child, local, value, total))
            left = counts[child] - 1
            counts[child] = left
            if not left:
                push(child)
        yield node, grad, passes


def topological_order(output: Node) -> Iterator[Node]:
    """Every node below ``output``, each after all the nodes that use it (output first)."""
    for node, _, _ in topological_sweep(output, record=False):
        yield node


#: An Add's local derivative, the int 1: gradients() passes a gradient on through it as it is
#: (1 * g is g, bit for bit), as Python multiplies an int by a float slowly.
_ONE = 1


def gradients(output: Node) -> dict:
    """d(output)/d(node) for every node below ``output`` and the output itself (1.0).

    One reverse sweep in topological order (``topological_sweep``'s visits, sums and order,
    bit for bit): when a node is reached, every node that uses it has passed its share
    down, so its gradient is final; it then passes gradient × local derivative to each
    input. Linear in the edges. The counts are those the nodes keep (``uses``, counted as
    ops are built on them), so there is no counting pass; an op used by a node elsewhere
    waits for ever, and one reached more often than it was used cannot be (a count not
    kept): either way the sweep starts again with counts of its own (``sweep_all``). A
    student's graph is built once and swept once, so the kept counts are the common case.
    (The public ``autodiff.gradients`` is ``higher.gradients``: this, or graphs.)
    """
    grads = {output: 1.0}
    waiting = {}  # op -> users still to pass their share, for ops with more than one
    unfinished = 0  # ops in `waiting` whose users have not all passed their share yet
    ready = []
    pairs, grad = output.grad, 1.0  # the node being visited: its (input, local) pairs
    while True:
        # The op to visit next is the last one found ready, kept in `last`, not pushed and
        # popped (same order). `.grad` is read only when needed: a slow read (see Node).
        last = None
        for child, local in pairs:
            if child in grads:  # reached again: add the routes together
                total = grads[child] = grads[child] + (grad if local is _ONE else local * grad)
                left = waiting.get(child)
                if left is None:  # not an op waiting for its users: a leaf, or a count not kept
                    if child.grad:  # an op reached more often than it was used
                        return sweep_all(output, engine_edges, 1.0)
                    continue
                left = waiting[child] = left - 1
                if left != 0:  # (an int compare Python does inline; `if left` is a call)
                    if left < 0:  # reached more often than it was used
                        return sweep_all(output, engine_edges, 1.0)
                    continue
                unfinished -= 1
                below = child.grad
            else:  # first reached (0.0 + x: never -0.0)
                total = grads[child] = 0.0 + (grad if local is _ONE else local * grad)
                below = child.grad
                if not below:
                    continue  # a leaf: nothing to visit
                left = child.uses - 1
                if left != 0:
                    waiting[child] = left
                    unfinished += 1
                    continue
            if last is not None:
                ready.append(last)
            last, last_pairs, last_grad = child, below, total
        if last is not None:
            pairs, grad = last_pairs, last_grad
        elif ready:
            node = ready.pop()
            pairs, grad = node.grad, grads[node]
        else:
            break
    if unfinished:  # an op with a user that is not below the output
        return sweep_all(output, engine_edges, 1.0)
    return grads


def sweep_all(output, edges: Edges, seed) -> dict:
    """The final gradients of a whole topological sweep."""
    grads: dict = {}
    for _ in topological_sweep(output, edges, seed, grads, record=False):
        pass
    return grads


# ---- counting routes without walking them ----

def count_routes(output: Node) -> dict:
    """How many routes lead from ``output`` to each node (exact Python ints).

    A route's count flows down like a gradient whose local derivatives are all 1:
    routes(input) = sum of routes(user) over every edge user → input. The output
    has one route, the empty one. Linear in the edges, whatever the counts.
    """
    return sweep_all(output, _unit_edges, 1)


def count_pops(output: Node) -> int:
    """How many pops ``get_gradients(output)`` makes: every route but the empty one."""
    return sum(count_routes(output).values()) - 1
