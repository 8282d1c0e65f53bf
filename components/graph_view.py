"""The graph on screen: pyvis builds the vis-network data, a keyed Streamlit v2 component
draws it and restyles it in place at each step (zoom and pan survive, no blank frames).

* ``to_vis`` (pure): view-model nodes/edges -> pyvis ``Network`` -> vis nodes, edges, options.
* ``standalone_html`` (pure): the same picture as one HTML file that works offline.
* ``render`` (Streamlit): the component. vis-network's JS is read at runtime from the
  installed pyvis package and sent once per session by a separate, constant loader element;
  the graph element then carries only ~2 KB of data per step. Nothing is fetched from the
  internet.
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

VIS_JS = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
HEIGHT = 540  # px: with the controls above, fits a 1280×720 projector without scrolling

# pyvis's template links bootstrap from a CDN even with cdn_resources="in_line"
_BOOTSTRAP = re.compile(r"<(link|script)[^>]*bootstrap[^>]*>(\s*</script>)?", re.S)
# ... and keeps a commented-out link to a node_modules copy of vis; drop it too
_COMMENTED = re.compile(r"<!--.*?-->", re.S)


def network(nodes: list[dict], edges: list[dict], options: dict, *,
            height: str = f"{HEIGHT}px", cdn_resources: str = "in_line") -> Network:
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


# ---- the Streamlit component ----

_GRAPH_JS = r"""
// vis re-measures every item it is given: hand it only the items whose style changed
const changed = (seen, items) => items.filter(item => seen.get(item.id) !== JSON.stringify(item));
const remember = (host, data) => {
  host.__seen = {nodes: new Map(), edges: new Map()};
  for (const item of data.nodes) host.__seen.nodes.set(item.id, JSON.stringify(item));
  for (const item of data.edges) host.__seen.edges.set(item.id, JSON.stringify(item));
};

export default function ({ data, parentElement }) {
  const draw = () => {
    if (!globalThis.vis) { setTimeout(draw, 20); return; }   // loader not evaluated yet
    let host = parentElement.querySelector('.ad-net');
    if (!host) {
      host = document.createElement('div');
      host.className = 'ad-net';
      host.setAttribute('role', 'img');
      parentElement.appendChild(host);
    }
    host.style.height = data.height + 'px';
    host.setAttribute('aria-label', data.summary);
    const ids = data.nodes.map(n => n.id).join('|') + '#' + data.edges.map(e => e.id).join('|');
    if (!host.__net) {
      host.__nodes = new vis.DataSet(data.nodes);
      host.__edges = new vis.DataSet(data.edges);
      host.__net = new vis.Network(host, {nodes: host.__nodes, edges: host.__edges}, data.options);
      host.__ids = ids;
      globalThis.adNetworkCreated = (globalThis.adNetworkCreated || 0) + 1;
    } else if (host.__ids !== ids) {          // same key, other shape: replace, then fit
      host.__nodes.clear(); host.__edges.clear();
      host.__nodes.add(data.nodes); host.__edges.add(data.edges);
      host.__ids = ids;
      host.__net.fit();
    } else {                                  // same drawing: zoom and pan survive
      host.__nodes.update(changed(host.__seen.nodes, data.nodes));  // only what this step restyles
      host.__edges.update(changed(host.__seen.edges, data.edges));
    }
    remember(host, data);
    if (host.__fit !== undefined && host.__fit !== data.fit) host.__net.fit();  // "Fit" asked
    host.__fit = data.fit;
    if (data.follow && data.focus.length) {   // follow mode: zoom to the last edge popped
      const at = host.__net.getPositions(data.focus);
      const node = at[data.focus[data.focus.length - 1]], from = at[data.focus[0]];
      const halfW = host.clientWidth / 2 / data.follow_scale;
      const halfH = host.clientHeight / 2 / data.follow_scale;
      const dx = from.x - node.x, dy = from.y - node.y;
      let position = {x: node.x + dx / 2, y: node.y + dy / 2};   // both ends in view ...
      if (Math.abs(dx) > 1.6 * halfW || Math.abs(dy) > 1.6 * halfH) {
        const k = 0.5 * Math.min(halfW / Math.abs(dx || 1), halfH / Math.abs(dy || 1));
        position = {x: node.x + dx * k, y: node.y + dy * k};  // ... or the node, edge leading in
      }
      host.__net.moveTo({position, scale: data.follow_scale,
                         animation: {duration: 250, easingFunction: 'easeInOutQuad'}});
    }
    globalThis.adNetwork = host.__net;
    host.dataset.step = String(data.step);
    host.dataset.algorithm = data.algorithm;
  };
  draw();
  return () => {                              // on unmount only, never per step
    const h = parentElement.querySelector('.ad-net');
    if (h && h.__net) { h.__net.destroy(); h.__net = null; }
  };
}
"""

# vis-network's own CSS is 220 KB (mostly button images); the tooltip rule is all we need
_GRAPH_CSS = """
.ad-net { width: 100%; border: 1px solid #c8ccd4; border-radius: 6px; background: #fff; }
div.vis-tooltip { position: absolute; visibility: hidden; padding: 6px 8px; white-space: pre;
  font-family: sans-serif; font-size: 18px; color: #111; background: #fffbe6;
  border: 1px solid #888; border-radius: 4px; box-shadow: 2px 2px 8px rgba(0,0,0,.2);
  pointer-events: none; z-index: 5; }
"""


@lru_cache(maxsize=1)
def vis_source() -> str:
    return VIS_JS.read_text(encoding="utf-8")


def _components():
    import streamlit as st

    @st.cache_resource(show_spinner=False)
    def register():
        # A constant element: Streamlit's message cache sends the 469 KB once per session.
        loader = st.components.v2.component(
            "ad_vis_loader", js=vis_source() + "\nexport default function(){}",
            isolate_styles=False)
        graph = st.components.v2.component(
            "ad_graph", js=_GRAPH_JS, css=_GRAPH_CSS, isolate_styles=False)
        return loader, graph

    return register()


FOLLOW_SCALE = 0.8  # zoom of follow mode: vis fonts at about 19 screen pixels


def render(graph, state, positions, *, algorithm: str, height: int = HEIGHT,
           follow: bool = False, fit: int = 0) -> None:
    """Draw the graph at this step (Streamlit). Keyed by the graph's shape. ``follow``
    zooms to the popped node at each step; a new ``fit`` number fits the whole graph."""
    nodes, edges, options = to_vis(graph, state, positions)
    loader, component = _components()
    loader(key="ad_vis_loader", height=0)
    summary = (f"Computational graph of {len(nodes)} nodes, output {graph.output}, "
               f"step {state.index}")
    # follow mode centres the popped node and the node it was reached from
    focus = list(state.popped.route[-2:]) if state.popped is not None else []
    component(key=graph_key(graph), height=height,
              data={"nodes": nodes, "edges": edges, "options": options, "height": height,
                    "step": state.index, "algorithm": algorithm, "summary": summary,
                    "follow": follow, "follow_scale": FOLLOW_SCALE, "fit": fit,
                    "focus": focus})
