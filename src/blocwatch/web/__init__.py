"""The HTTP front: a JSON API under /api/v1 and a server-rendered web UI, built by ``create_app``."""

from blocwatch.web.app import create_app, error_body

__all__ = ["create_app", "error_body"]
