"""Is a drawing clean? Edges through node boxes and overlapping edge labels, as plain geometry.

Pure and shared: the layout's tests run it on the positions ``view_model.layout`` computes,
and a browser test can run it on what vis-network reports (``network.getPosition``,
``getBoundingBox``, edge label boxes) to check the page itself.

Rectangles are ``(left, top, right, bottom)``; y points down, as in vis. An edge is a
polyline (a straight edge has two points; a curve is sampled, see ``bezier_points``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

__all__ = [
    "bezier_points", "edges_through_boxes", "labels_under_boxes", "overlapping_labels",
    "polyline_hits_rect", "problems", "rect_around", "segment_hits_rect",
]

Point = tuple[float, float]
Rect = tuple[float, float, float, float]

CURVE_SAMPLES = 32


def rect_around(center: Point, width: float, height: float) -> Rect:
    x, y = center
    return (x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def rects_overlap(a: Rect, b: Rect) -> bool:
    """True when two rectangles share area (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def segment_hits_rect(p: Point, q: Point, rect: Rect) -> bool:
    """True when the segment p–q passes through the inside of ``rect`` (Liang–Barsky clip:
    the part of the segment inside the rectangle has positive length)."""
    (x0, y0), (x1, y1) = p, q
    dx, dy = x1 - x0, y1 - y0
    lo, hi = 0.0, 1.0
    for step, room in ((-dx, x0 - rect[0]), (dx, rect[2] - x0),
                       (-dy, y0 - rect[1]), (dy, rect[3] - y0)):
        if step == 0:
            if room <= 0:
                return False
            continue
        t = room / step
        if step < 0:
            lo = max(lo, t)
        else:
            hi = min(hi, t)
        if lo >= hi:
            return False
    return (hi - lo) * math.hypot(dx, dy) > 1e-9


def polyline_hits_rect(points: Sequence[Point], rect: Rect) -> bool:
    return any(segment_hits_rect(p, q, rect) for p, q in zip(points, points[1:], strict=False))


def bezier_points(start: Point, via: Point, end: Point,
                  samples: int = CURVE_SAMPLES) -> list[Point]:
    """A quadratic Bézier curve (vis's curved edges) as a polyline."""
    points = []
    for i in range(samples + 1):
        t = i / samples
        a, b, c = (1 - t) ** 2, 2 * t * (1 - t), t * t
        points.append((a * start[0] + b * via[0] + c * end[0],
                       a * start[1] + b * via[1] + c * end[1]))
    return points


def edges_through_boxes(boxes: Mapping[str, Rect],
                        edges: Iterable[tuple[str, str, Sequence[Point]]]) -> list[tuple]:
    """``(from, to, node)`` for every edge that passes through a node box other than its own
    two ends'. ``edges`` are ``(from, to, polyline)``."""
    hits = []
    for start, end, points in edges:
        for key, rect in boxes.items():
            if key not in (start, end) and polyline_hits_rect(points, rect):
                hits.append((start, end, key))
    return hits


def overlapping_labels(labels: Mapping[str, Rect]) -> list[tuple[str, str]]:
    """Every pair of edge ids whose label boxes share area (sorted by x: near-linear)."""
    items = sorted(labels.items(), key=lambda kv: kv[1][0])
    pairs = []
    for i, (a, ra) in enumerate(items):
        for b, rb in items[i + 1:]:
            if rb[0] >= ra[2]:
                break
            if rects_overlap(ra, rb):
                pairs.append((a, b))
    return pairs


def labels_under_boxes(boxes: Mapping[str, Rect], labels: Mapping[str, Rect]) -> list[tuple]:
    """``(edge id, node)`` for every edge label a node box covers (vis draws nodes on top)."""
    return [(edge, key) for edge, label in labels.items() for key, box in boxes.items()
            if rects_overlap(label, box)]


def problems(boxes: Mapping[str, Rect], edges: Iterable[tuple[str, str, Sequence[Point]]],
             labels: Mapping[str, Rect]) -> list[str]:
    """Everything unclean about one drawing, in words (empty: clean). The same check for the
    layout's model and for what a browser reads from vis-network."""
    found = [f"edge {a}→{b} runs through the box of {key}"
             for a, b, key in edges_through_boxes(boxes, edges)]
    found += [f"labels of {a} and {b} overlap" for a, b in overlapping_labels(labels)]
    found += [f"the label of {edge} is under the box of {key}"
              for edge, key in labels_under_boxes(boxes, labels)]
    return found
