"""The post's engine: number text, the node, every op said once (the registry), the op classes,
the backward passes (route stack and topological sweep) and the graph as plain data. Everything
else in ``autodiff`` stands on it; it imports nothing above it (``tests/docs/test_layers.py``)."""
