"""The seed post's examples, typed as the post types them, give the post's printed numbers.

Every number below is copied from the post; the comparisons are exact (==), because the
engine builds the same graph (a - b is a + Neg(b), a / b is a * Inv(b)) and walks the
routes in the same order, so every float is rounded the same way.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from autodiff import Add, Exp, Inv, Log, Mul, Neg, Sin, Var, get_gradients

REPO = Path(__file__).resolve().parents[2]


def test_first_example_values_gradients_and_local_derivatives():
    a = Var(4)
    b = Var(3)
    c = Add(a, b)  # = 4 + 3 = 7
    d = Mul(a, c)  # = 4 * 7 = 28

    gradients = get_gradients(d)

    assert d.value == 28
    assert gradients[a] == 11
    assert gradients[b] == 4
    assert gradients[c] == 4
    assert dict(d.grad)[a] == 7
    assert dict(d.grad)[c] == 4
    assert dict(c.grad)[a] == 1
    assert dict(c.grad)[b] == 1
    # every node below d, and not d itself
    assert set(gradients) == {a, b, c}


def test_first_example_keeps_python_ints():
    # the post prints 28 and 11, not 28.0 and 11.0
    a, b = Var(4), Var(3)
    d = Mul(a, Add(a, b))
    gradients = get_gradients(d)
    assert type(d.value) is int
    assert all(type(g) is int for g in gradients.values())


def test_second_example_with_operators():
    a = Var(230.3)
    b = Var(33.2)

    def f(a, b):
        return (a / b - a) * (b / a + a + b) * (a - b)

    y = f(a, b)
    gradients = get_gradients(y)

    assert gradients[a] == -153284.83150602411
    assert gradients[b] == 3815.0389441500993


def test_second_example_builds_the_posts_graph():
    # a / b is Mul(a, Inv(b)) and a - b is Add(a, Neg(b)), as the post's Ops class does
    a, b = Var(230.3), Var(33.2)
    quotient = a / b
    difference = a - b
    assert isinstance(quotient, Mul) and isinstance(quotient.inputs[1], Inv)
    assert quotient.inputs[0] is a and quotient.inputs[1].inputs == (b,)
    assert isinstance(difference, Add) and isinstance(difference.inputs[1], Neg)
    assert difference.inputs[0] is a and difference.inputs[1].inputs == (b,)


def test_third_example_with_sin_exp_log():
    a = Var(43.)
    b = Var(3.)
    c = Var(2.)

    def f(a, b, c):
        f = Sin(a * b) + Exp(c - (a / b))
        return Log(f * f) * c

    y = f(a, b, c)
    gradients = get_gradients(y)

    assert gradients[a] == 60.85353612046653
    assert gradients[b] == 872.2331479536114
    assert gradients[c] == -3.2853671032530305


def test_the_posts_numerical_estimates():
    # the post's forward differences with delta = Var(1e-8), through the engine's own ops
    a, b = Var(230.3), Var(33.2)

    def f2(a, b):
        return (a / b - a) * (b / a + a + b) * (a - b)

    delta = Var(1e-8)
    assert ((f2(a + delta, b) - f2(a, b)) / delta).value == -153284.89243984222
    assert ((f2(a, b + delta) - f2(a, b)) / delta).value == 3815.069794654846

    a, b, c = Var(43.), Var(3.), Var(2.)

    def f3(a, b, c):
        f = Sin(a * b) + Exp(c - (a / b))
        return Log(f * f) * c

    assert ((f3(a + delta, b, c) - f3(a, b, c)) / delta).value == 60.85352186602222
    assert ((f3(a, b + delta, c) - f3(a, b, c)) / delta).value == 872.232160009645
    assert ((f3(a, b, c + delta) - f3(a, b, c)) / delta).value == -3.285367089489455


# The post's code, typed as the post types it (its comments and its quotes), after a
# star import; then the lines it printed, copied from the post.
POST_SCRIPT = '''
from autodiff import *

a = Var(4)
b = Var(3)
c = Add(a, b) # = 4 + 3 = 7
d = Mul(a, c) # = 4 * 7 = 28

gradients = get_gradients(d)

print('d.value =', d.value)
print("The partial derivative of d with respect to a =", gradients[a])
print('gradients[b] =', gradients[b])
print('gradients[c] =', gradients[c])
print('dict(d.grad)[a] =', dict(d.grad)[a])
print('dict(d.grad)[c] =', dict(d.grad)[c])
print('dict(c.grad)[a] =', dict(c.grad)[a])
print('dict(c.grad)[b] =', dict(c.grad)[b])

a = Var(230.3)
b = Var(33.2)

def f(a, b):
    return (a / b - a) * (b / a + a + b) * (a - b)

y = f(a, b)

gradients = get_gradients(y)

print("The partial derivative of y with respect to a =", gradients[a])
print("The partial derivative of y with respect to b =", gradients[b])

delta = Var(1e-8)
numerical_grad_a = (f(a + delta, b) - f(a, b)) / delta
numerical_grad_b = (f(a, b + delta) - f(a, b)) / delta
print("The numerical estimate for a =", numerical_grad_a.value)
print("The numerical estimate for b =", numerical_grad_b.value)

a = Var(43.)
b = Var(3.)
c = Var(2.)

def f(a, b, c):
    f = Sin(a * b) + Exp(c - (a / b))
    return Log(f * f) * c

y = f(a, b, c)

gradients = get_gradients(y)

print("The partial derivative of y with respect to a =", gradients[a])
print("The partial derivative of y with respect to b =", gradients[b])
print("The partial derivative of y with respect to c =", gradients[c])
delta = Var(1e-8)
numerical_grad_a = (f(a + delta, b, c) - f(a, b, c)) / delta
numerical_grad_b = (f(a, b + delta, c) - f(a, b, c)) / delta
numerical_grad_c = (f(a, b, c + delta) - f(a, b, c)) / delta

print("The numerical estimate for a =", numerical_grad_a.value)
print("The numerical estimate for b =", numerical_grad_b.value)
print("The numerical estimate for c =", numerical_grad_c.value)
'''

POST_OUTPUT = """\
d.value = 28
The partial derivative of d with respect to a = 11
gradients[b] = 4
gradients[c] = 4
dict(d.grad)[a] = 7
dict(d.grad)[c] = 4
dict(c.grad)[a] = 1
dict(c.grad)[b] = 1
The partial derivative of y with respect to a = -153284.83150602411
The partial derivative of y with respect to b = 3815.0389441500993
The numerical estimate for a = -153284.89243984222
The numerical estimate for b = 3815.069794654846
The partial derivative of y with respect to a = 60.85353612046653
The partial derivative of y with respect to b = 872.2331479536114
The partial derivative of y with respect to c = -3.2853671032530305
The numerical estimate for a = 60.85352186602222
The numerical estimate for b = 872.232160009645
The numerical estimate for c = -3.285367089489455
"""


def test_the_post_typed_into_python_prints_the_posts_lines():
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(POST_SCRIPT)],
        cwd=REPO, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.splitlines() == POST_OUTPUT.splitlines()


def test_star_import_gives_the_posts_names():
    namespace: dict = {}
    exec("from autodiff import *", namespace)
    for name in ("Var", "Add", "Mul", "Neg", "Inv", "Sin", "Exp", "Log", "get_gradients"):
        assert name in namespace, name
