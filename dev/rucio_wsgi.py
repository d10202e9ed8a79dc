"""WSGI entry point of the local Rucio server: Rucio's own Flask application."""

from rucio.web.rest.flaskapi.v1.main import application

__all__ = ["application"]
