"""The app benchmark's pure parts: the walk of key presses, the figures, the verdict."""

from __future__ import annotations

import math

import pytest

from benchmarks import bench_app as ba


def test_presses_walk_forward_to_the_end_then_back():
    assert ba.step_path(3, 8) == [(1, True), (2, True), (3, True), (2, False), (1, False),
                                  (0, False), (1, True), (2, True)]
    assert ba.step_path(29, 3) == [(1, True), (2, True), (3, True)]


def test_presses_can_start_past_zero_and_stay_in_range():
    path = ba.step_path(4, 50, start=1)
    assert path[0] == (2, True)
    assert all(0 <= step <= 4 for step, _ in path)
    # every press moves one step, in the direction it says
    before = [1] + [step for step, _ in path[:-1]]
    assert all(step - prev == (1 if fwd else -1)
               for prev, (step, fwd) in zip(before, path, strict=True))


def test_a_trace_of_one_step_cannot_move():
    assert ba.step_path(0, 2) == [(0, True), (0, True)]


def test_key_figures_in_milliseconds():
    figures = ba.key_figures([0.010, 0.020, 0.030, 0.040])
    assert figures["median"] == pytest.approx(25)
    assert figures["p95"] == pytest.approx(38.5)
    assert figures["max"] == pytest.approx(40)
    assert all(math.isnan(v) for v in ba.key_figures([]).values())


def test_the_key_goal_is_missed_by_a_slow_median_or_p95_or_a_lost_press():
    assert ba.keys_missed({"median": 30, "p95": 60, "max": 90}, lost=0) == []
    assert ba.keys_missed({"median": 31, "p95": 60, "max": 90}, lost=0) == ["median 31 ms > 30"]
    assert ba.keys_missed({"median": 20, "p95": 61, "max": 90}, lost=0) == ["p95 61 ms > 60"]
    assert ba.keys_missed({"median": 20, "p95": 40, "max": 90}, lost=2) == ["2 presses lost"]
    nothing = ba.key_figures([])
    assert len(ba.keys_missed(nothing, lost=50)) == 3  # nothing drawn is no pass


def test_ratios_are_new_over_today_and_blank_without_both():
    assert ba.ratio(20, 200) == "0.10"
    assert ba.ratio(math.nan, 200) == "-" and ba.ratio(20, 0) == "-"


def test_both_designs_run_today_first_each_with_its_own_probe(tmp_path):
    args = ba.argparse.Namespace(baseline=tmp_path, checkout=ba.REPO, probe="in-page")
    today, new = ba.designs(args)
    assert (today.name, today.checkout, today.probe) == ("today", tmp_path, "today")
    assert (new.name, new.checkout, new.probe) == ("in-page", ba.REPO, "in-page")
    args.baseline = None
    assert [d.name for d in ba.designs(args)] == ["in-page"]
