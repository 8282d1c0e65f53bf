"""Forward mode's cost beside reverse mode's, under the stepper (Streamlit): the counts of
this program's gradient both ways, and how they grow (``costs`` makes them)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from autodiff.core.graph import Graph

from . import costs

__all__ = ["render"]


def render(graph: Graph) -> None:
    """The table of both modes' work and the chart of it as inputs and outputs grow."""
    st.markdown("**Forward and reverse mode, the work**: multiplications and additions of "
                "local derivatives for the whole gradient of this program")
    # an HTML table: read by tests and screen readers
    st.table(pd.DataFrame(costs.cost_rows(graph)).set_index("mode"))
    st.markdown("**As inputs or outputs grow** (a graph of this shape): forward mode pays "
                "per input, reverse mode per output, so a loss of millions of weights goes "
                "backwards")
    st.vega_lite_chart(pd.DataFrame(costs.cost_points(graph)), costs.cost_spec(graph),
                       width="content")
