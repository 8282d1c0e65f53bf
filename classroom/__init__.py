"""A live class: rooms a lecturer drives and students follow, served next to the app."""

from .hub import Hub
from .routes import class_routes
from .store import store_from

__all__ = ["Hub", "class_routes", "store_from"]
