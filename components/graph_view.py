"""The graph's vis-network data: pyvis builds it, the stepper (``stepper.py``) draws it in
the page and restyles it in place at each step (zoom and pan survive, no blank frames).

* ``to_vis`` (pure): view-model nodes/edges -> pyvis ``Network`` -> vis nodes, edges, options.
* ``standalone_html`` (pure): the same picture as one HTML file that works offline.
* ``vis_source``: vis-network's JS, read at runtime from the installed pyvis package
  (``vis_loader`` sends it to the page). Nothing is fetched from the internet.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import pyvis
from pyvis.edge import Edge
from pyvis.network import Network
from pyvis.node import Node

from . import view_model as vm

__all__ = ["VIS_JS", "graph_key", "network", "standalone_html", "to_vis", "vis_source"]

VIS_JS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"

# pyvis's template links bootstrap from a CDN even with cdn_resources="in_line"
_BOOTSTRAP = re.compile(r"<(link|script)[^>]*bootstrap[^>]*>(\s*</script>)?", re.S)
# ... and keeps a commented-out link to a node_modules copy of vis; drop it too
_COMMENTED = re.compile(r"<!--.*?-->", re.S)


def network(nodes: list[dict], edges: list[dict], options: dict, *,
            height: str = "540px", cdn_resources: str = "in_line") -> Network:
    """A pyvis Network holding exactly these nodes, edges and options.

    The items are made by pyvis's own ``Node`` and ``Edge``, as ``add_node``/``add_edge``
    make them, and appended directly: those two check membership in a list, O(n) per
    call, which took 0.35 s per step for a 2,500-node graph (ids here are unique by
    construction, and every edge end is checked against a set instead)."""
    net = Network(height=height, width="100%", directed=True, cdn_resources=cdn_resources)
    for node in nodes:
        props = dict(node)
        n_id = props.pop("id")
        label = props.pop("label")
        made = Node(n_id, props.pop("shape"), label=label if label else n_id,
                    color=props.pop("color"), font_color=net.font_color, **props).options
        net.nodes.append(made)
        net.node_ids.append(n_id)
        net.node_map[n_id] = made
    known = set(net.node_ids)
    for edge in edges:
        props = dict(edge)
        source, to = props.pop("from"), props.pop("to")
        if source not in known or to not in known:
            raise ValueError(f"edge {source!r} -> {to!r} names a node that is not drawn")
        net.edges.append(Edge(source, to, net.directed, **props).options)
    net.options = options  # one plain dict (pyvis's own helpers would fight over it)
    return net


def to_vis(graph, state, positions) -> tuple[list[dict], list[dict], dict]:
    """vis-network nodes, edges and options for one step, built with pyvis's Network."""
    net = network(vm.node_views(graph, state, positions), vm.edge_views(graph, state),
                  vm.vis_options())
    return net.nodes, net.edges, net.options


def standalone_html(graph, state, positions) -> str:
    """The graph at this step as one HTML file that works offline: vis-network in line,
    bootstrap links stripped, no CDN left. User text reaches the page only through pyvis's
    JSON-escaped node data, never as raw HTML (the heading stays empty)."""
    nodes, edges, options = to_vis(graph, state, positions)
    net = network(nodes, edges, options, height="95vh")
    html = net.generate_html()
    html = _COMMENTED.sub("", _BOOTSTRAP.sub("", html))
    return html.replace("<h1></h1>", "")


def graph_key(graph) -> str:
    """Same key for the same graph shape (values may differ): the drawing is then updated
    in place; a different program gets a fresh drawing, fitted to the view."""
    shape = "|".join(f"{n.key}:{n.op}:{','.join(n.inputs)}" for n in graph.nodes)
    return "graph-" + hashlib.sha1(shape.encode()).hexdigest()[:12]


# ---- vis-network's own code, which ``vis_loader`` sends to the page once per session ----

@lru_cache(maxsize=1)
def vis_source() -> str:
    return VIS_JS.read_text(encoding="utf-8")
