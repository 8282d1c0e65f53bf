"""``python -m autodiff trace --algorithm forward``: forward mode's passes in a terminal, and
its JSON with the same ``gradients`` object as the backward traces (issue 21, item 1)."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import POST_1, POST_3, run


def test_forward_text_steps_each_pass_and_sums_the_terms(program_file):
    result = run("trace", program_file(POST_1), "--algorithm", "forward")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("forward: 6 steps (2 passes, one per input) for output d")
    assert "ḋ = ∂d/∂a·ȧ + ∂d/∂c·ċ = 7·1 + 4·1 = 11. Pass 1 done: ∂d/∂a = 11." in out
    assert "ḋ = ∂d/∂a·ȧ + ∂d/∂c·ċ = 7·0 + 4·1 = 4. Pass 2 done: ∂d/∂b = 4." in out
    assert "forward mode, one pass per input: ∂d/∂a = 11, ∂d/∂b = 4" in out
    assert ("work: forward 2 passes, 8 multiplications, 4 additions; "
            "reverse 1 pass, 4 multiplications, 1 addition") in out


@pytest.mark.parametrize("text", [POST_1, POST_3], ids=["post-1", "post-3"])
def test_forward_json_has_the_gradients_of_the_other_algorithms(program_file, text):
    path = program_file(text)
    docs = {}
    for algorithm in ("route-stack", "topological", "forward"):
        result = run("trace", path, "--algorithm", algorithm, "--json")
        assert result.returncode == 0, result.stderr
        docs[algorithm] = json.loads(result.stdout)
    forward = docs["forward"]
    assert forward["algorithm"] == "forward"
    backward = docs["route-stack"]["gradients"]
    assert forward["gradients"] == backward == docs["topological"]["gradients"]
    for entry in forward["passes"]:
        assert entry["derivative"] == pytest.approx(forward["gradients"][entry["seed"]], rel=1e-12)
    assert [s["index"] for s in forward["steps"]] == list(range(1, forward["total_steps"] + 1))


def test_forward_json_of_the_first_example(program_file):
    doc = json.loads(run("trace", program_file(POST_1), "--algorithm", "forward", "--json").stdout)
    assert doc["passes"] == [{"seed": "a", "derivative": 11.0}, {"seed": "b", "derivative": 4.0}]
    assert doc["operation_counts"]["forward"] == {"passes": 2, "multiplications": 8, "additions": 4}
    assert [(s["popped"], s["gradient"]) for s in doc["steps"]] == [
        ("a", 1.0), ("c", 1.0), ("d", 11.0), ("b", 1.0), ("c", 1.0), ("d", 4.0)]
