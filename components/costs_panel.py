"""Forward mode's cost beside reverse mode's, under the stepper (Streamlit): the counts of
this program's gradient both ways, and how they grow (``costs`` makes them)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from autodiff.core.graph import Graph

from . import costs, graph_view

__all__ = ["render"]


@st.cache_resource(max_entries=32, show_spinner=False)
def _drawn(shape: str, _graph: Graph) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """The table, the chart's data and its spec, once per graph shape (``shape`` keys it):
    the stage reruns at every step report, and the counts walk the whole graph."""
    return (pd.DataFrame(costs.cost_rows(_graph)).set_index("mode"),
            pd.DataFrame(costs.cost_points(_graph)), costs.cost_spec(_graph))


def render(graph: Graph) -> None:
    """The table of both modes' work and the chart of it as inputs and outputs grow."""
    table, points, spec = _drawn(graph_view.graph_key(graph), graph)
    st.markdown("**Forward and reverse mode, the work**: multiplications and additions of "
                "local derivatives for the whole gradient of this program")
    st.table(table)  # an HTML table: read by tests and screen readers
    st.markdown("**As inputs or outputs grow** (a graph of this shape): forward mode pays "
                "per input, reverse mode per output, so a loss of millions of weights goes "
                "backwards")
    st.vega_lite_chart(points, spec, width="content")
