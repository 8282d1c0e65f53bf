"""The app with its class routes, one server: ``python -m streamlit run serve.py``.

Streamlit finds ``app`` (an ``st.App``) here and serves the page of ``app.py`` with the
class's routes next to it (``classroom.routes``) on one port. The rooms live in this
process's memory, or, when ``AUTODIFF_CLASS_REDIS`` holds a Redis URL, in Redis, shared by
every server started with the same URL (several replicas behind a proxy).
"""

import os

import streamlit as st

from classroom import Hub, class_routes, store_from

__all__ = ["REDIS_SETTING", "app"]

REDIS_SETTING = "AUTODIFF_CLASS_REDIS"

app = st.App("app.py", routes=class_routes(Hub(store_from(os.environ.get(REDIS_SETTING)))))
