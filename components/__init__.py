"""The app's UI pieces. Pure: ``view_model`` (what to draw and list for a step: layout,
node and edge styles, stack, ledger and gradient rows) and ``presets``. With pyvis:
``graph_view`` (vis data built with pyvis's Network, the offline HTML export, the keyed
Streamlit component). With Streamlit: ``model`` (cached builds), ``state`` (session keys,
defaults, callbacks, the URL) and the thin renderers ``editor``, ``controls``, ``panels``.
``app.py`` wires them together; nothing here imports ``app.py``."""
