"""vis-network in the page (Streamlit): a constant loader element evaluates its JS (sets
``globalThis.vis``) for the stepper (``stepper.py``) to draw with."""

from __future__ import annotations

import streamlit as st

from . import graph_view, state

__all__ = ["load"]


@st.cache_resource(show_spinner=False)
def _loader():
    return st.components.v2.component(
        "ad_vis_loader", js=graph_view.vis_source() + "\nexport default function(){}",
        isolate_styles=False)


def load() -> None:
    """Mount the loader. Constant, so Streamlit's message cache sends its 469 KB once per
    session."""
    _loader()(key=state.VIS_LOADER, height=0)
