"""Helpers for running hubgraph inside test suites: a real server on a free port."""

from hubgraph.testing.process import ServeProcess, healthy
from hubgraph.testing.server import ServerThread, free_port

__all__ = ["ServeProcess", "ServerThread", "free_port", "healthy"]
