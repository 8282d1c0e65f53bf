"""The op registry: an op is said once, and every list of ops reads it; its rules serve
numbers, text and nodes alike; the backward walks are written once and the traces run
the engine's own generators."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from autodiff import Var, check_gradients, get_gradients, gradients, sin
from autodiff.core import registry
from autodiff.core.backward import engine_edges, route_stack, sweep_all
from autodiff.core.backward import gradients as _tree_sweep  # the one-pass sweep
from autodiff.core.graph import snapshot
from autodiff.core.ops import Add, Mul, Sin, define
from autodiff.core.registry import FLOAT, FUNCTIONS, REGISTRY, TEXT, OpSpec
from autodiff.higher import NODES
from autodiff.trace import ROUTE_STACK, TOPOLOGICAL, formula, make_trace

# ---- adding an op touches one registry entry ----

SOFTPLUS = OpSpec("softplus", 1, aliases=("Softplus", "softplus"),
                  value=lambda m, x: m.log(1 + m.exp(x)),
                  local=lambda m, x, out: (m.sigmoid(x),))


@pytest.fixture
def softplus():
    cls = define(SOFTPLUS)
    yield cls
    registry.unregister("softplus")
    assert "softplus" not in FUNCTIONS  # cleaned up: no other test sees it


def test_an_op_is_one_entry_and_everything_picks_it_up(softplus):
    x = Var(0.3, name="x")
    y = softplus(x)
    # the engine: value and the seed's (input, local derivative) pair, from the rules
    assert y.value == math.log(1 + math.exp(0.3))
    assert y.grad == [(x, 1 / (1 + math.exp(-0.3)))]
    assert check_gradients(y + x * 2) == []  # the rule agrees with central differences
    # the formulas: derived from the local rule, named by the graph, used by the traces
    graph = snapshot(y)
    assert graph[graph.output].formulas == ("σ(x)",)
    assert formula(graph[graph.output], ["x"]) == "softplus(x)"
    # the parser's table, the builder's choices and the command line's help
    assert FUNCTIONS["softplus"] == (softplus, 1) and FUNCTIONS["Softplus"] == (softplus, 1)
    from components import editor

    assert editor.operations()["softplus(a)"] == "softplus({0})"
    assert editor.builder_line("softplus(a)", "x", None, "s") == "s = softplus(x)"
    from autodiff.cli import language_help

    assert "softplus" in language_help()


def test_the_parser_reads_the_registry(softplus):
    from autodiff import program

    assert program.FUNCTIONS is FUNCTIONS
    built = program.compile_program("y = softplus(x) * 2", {"x": 0.3})
    assert built.output.value == 2 * math.log(1 + math.exp(0.3))
    with pytest.raises(program.ProgramError, match="`softplus` takes 1 argument, got 2"):
        program.compile_program("y = softplus(x, x)", {"x": 0.3})


def test_a_name_means_one_op():
    clash = OpSpec("sine", 1, aliases=("sin",), value=lambda m, x: m.sin(x),
                   local=lambda m, x, out: (m.cos(x),))
    with pytest.raises(ValueError, match="already registered"):
        define(clash)
    assert "sine" not in REGISTRY and FUNCTIONS["sin"][0] is Sin


def test_the_function_table_has_the_parsers_shape():
    # name -> (class, arity), for the seed's classes and the lowercase functions alike
    assert FUNCTIONS["Add"] == (Add, 2) and FUNCTIONS["Mul"] == (Mul, 2)
    assert FUNCTIONS["sin"] == (Sin, 1) and FUNCTIONS["Sin"] == (Sin, 1)
    assert "PowConst" not in FUNCTIONS and "Var" not in FUNCTIONS  # not calls in a program
    assert {name for name in FUNCTIONS if name.islower()} == {
        "sin", "cos", "tan", "exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs"}


# ---- one rule, several namespaces ----

def _points(spec):
    """Inputs inside the op's domain, away from kinks."""
    return (0.7,) if spec.arity == 1 else (0.7, 1.3)


def _params(spec):
    return (3,) if spec.name == "powconst" else ()


@pytest.mark.parametrize("name", list(REGISTRY))
def test_the_float_rules_are_the_nodes_numbers(name):
    spec, cls = REGISTRY[name], registry.CLASSES[name]
    xs, params = _points(spec), _params(spec)
    node = cls(*[Var(x) for x in xs], *params)
    out = spec.value(FLOAT, *xs, *params)
    assert node.value == out
    assert node.local_derivatives == spec.local(FLOAT, *xs, out, *params)


@pytest.mark.parametrize("name", list(REGISTRY))
def test_the_node_rules_build_the_local_derivatives_as_a_graph(name):
    # the start of gradients of gradients: the same rule, run on engine nodes
    spec = REGISTRY[name]
    xs, params = _points(spec), _params(spec)
    inputs = [Var(x) for x in xs]
    out = registry.CLASSES[name](*inputs, *params)
    built = spec.local(NODES, *inputs, out, *params)
    numbers = out.local_derivatives
    for local, number in zip(built, numbers, strict=True):
        value = local.value if hasattr(local, "value") else local
        assert value == pytest.approx(number, rel=1e-12)


class ArrayMath:
    """numpy as a namespace: what the array issue will add, here only to show the rules
    need no change to serve arrays."""

    sin, cos, tan, exp, log, sqrt, tanh, abs = (np.sin, np.cos, np.tan, np.exp, np.log,
                                                np.sqrt, np.tanh, np.abs)
    pow = staticmethod(np.power)
    sign = staticmethod(np.sign)

    @staticmethod
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    @staticmethod
    def relu(x):
        return np.maximum(x, 0)

    @staticmethod
    def step(x):
        return (x > 0).astype(float)

    @staticmethod
    def log_or_zero(x):
        return np.log(np.where(x > 0, x, 1.0))


@pytest.mark.parametrize("name", list(REGISTRY))
def test_the_rules_serve_arrays_elementwise(name):
    spec = REGISTRY[name]
    params = _params(spec)
    columns = [np.array([0.3, 0.7, 1.9]), np.array([1.1, 1.3, 0.4])][:spec.arity]
    out = spec.value(ArrayMath, *columns, *params)
    locals_ = spec.local(ArrayMath, *columns, out, *params)
    for i in range(3):
        xs = [float(c[i]) for c in columns]
        number_out = spec.value(FLOAT, *xs, *params)
        assert out[i] == pytest.approx(number_out, rel=1e-12)
        for local, number in zip(locals_, spec.local(FLOAT, *xs, number_out, *params),
                                 strict=True):
            assert np.broadcast_to(local, (3,))[i] == pytest.approx(number, rel=1e-12)


def test_formulas_are_the_local_rules_read_as_text():
    assert REGISTRY["sin"].formulas() == ("cos({0})",)
    assert REGISTRY["mul"].formulas() == ("{1}", "{0}")
    assert REGISTRY["tanh"].formulas() == ("1 - tanh({0})²",)
    assert REGISTRY["sigmoid"].formulas() == ("σ({0})·(1 - σ({0}))",)
    assert REGISTRY["powconst"].formulas((3,)) == ("3·{0}^2",)
    assert str(REGISTRY["cos"].local(TEXT, registry.Formula("a"), None)[0]) == "-sin(a)"


# ---- the backward walks: written once, the traces run them ----

def _random_tree(rng: random.Random):
    leaves = [Var(rng.uniform(-1, 1), name=f"x{i}") for i in range(4)]
    nodes = list(leaves)
    for _ in range(rng.randint(1, 12)):
        a = nodes.pop(rng.randrange(len(nodes)))  # each op is used once: a tree
        b = rng.choice(leaves)  # leaves may be shared, ops never are
        kind = rng.randrange(3)
        nodes.append(a * b if kind == 0 else a + b if kind == 1 else sin(a))
    return nodes[-1]


def test_the_tree_sweep_is_the_sweep_bit_for_bit():
    rng = random.Random(12)
    for _ in range(200):
        y = _random_tree(rng)
        fast, slow = _tree_sweep(y), sweep_all(y, engine_edges, 1.0)
        assert fast is not None
        assert list(fast) == list(slow)  # same nodes, first reached in the same order
        assert all(fast[n] == slow[n] and math.copysign(1, fast[n]) == math.copysign(1, slow[n])
                   for n in slow)


def test_both_traces_run_the_engines_generators():
    x = Var(0.4, name="x")
    s = sin(x)
    y = s * s + x * s
    graph = snapshot(y)
    route = make_trace(graph, ROUTE_STACK)
    walk = route_stack(y)
    next(walk)
    engine_pops = [(graph.key_of(cell[0]), cell[2]) for cell, _ in walk]
    trace_pops = [(st.popped.node, st.popped.value) for st in list(route.states())[1:]]
    assert trace_pops == engine_pops
    assert {k: v for k, v in route.state(route.last_index).gradients.items()
            if k != graph.output} == {graph.key_of(n): g for n, g in get_gradients(y).items()}
    topo = make_trace(graph, TOPOLOGICAL)
    assert topo.state(topo.last_index).gradients == {graph.key_of(n): g
                                                     for n, g in gradients(y).items()}
