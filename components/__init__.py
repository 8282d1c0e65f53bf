"""The app's UI pieces: pure view data (``view_model``), the graph drawing (``graph_view``),
the session state (``state``) and thin Streamlit renderers (``panels``, ``controls``,
``editor``). ``app.py`` wires them together; nothing here imports ``app.py``."""
