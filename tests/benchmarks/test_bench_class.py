"""The class benchmark runs end to end on a small class: every student gets every step in
order, every answer is tallied and a quarter of them are right (choice i % 4, right = 0)."""

from __future__ import annotations

import pytest

from benchmarks import bench_class as bc


def test_percentile_interpolates_between_ranks():
    assert bc.percentile([3, 1, 2], 50) == 2
    assert bc.percentile(list(range(1, 101)), 95) == pytest.approx(95.05)


def test_a_small_class_follows_and_answers(capsys):
    bc.main(["--students", "8", "--steps", "4", "--gap", "0.05"])
    out = capsys.readouterr().out
    assert "8 students following one room, 4 steps" in out
    assert "every step, in order, to every student: yes" in out
    assert "2 right (expected 2)" in out
