"""The HTTP face of Peninsula KG: a Flask app built by ``create_app(settings)``."""

from server.app import create_app

__all__ = ["create_app"]
