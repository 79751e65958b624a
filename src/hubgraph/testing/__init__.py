"""Helpers for running hubgraph inside test suites: a real server on a free port."""

from hubgraph.testing.server import ServerThread, free_port

__all__ = ["ServerThread", "free_port"]
