"""The app with its class routes, one server: ``python -m streamlit run serve.py``.

Streamlit finds ``app`` (an ``st.App``) here and serves the page of ``app.py`` with the
class's routes next to it (``classroom.routes``) on one port. One hub per process: its
rooms live in this process's memory.
"""

import streamlit as st

from classroom import Hub, class_routes

__all__ = ["app"]

app = st.App("app.py", routes=class_routes(Hub()))
