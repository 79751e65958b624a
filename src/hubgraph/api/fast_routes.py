"""The calls that take the fast lane (``api/http/fast_lane.py``), each measured as hot.

Every route here is also registered with FastAPI by its own module; this list only lets
its common shape skip the framework's routing and dependency injection.
"""

from __future__ import annotations

from hubgraph.api.associations_v4 import basic as associations_v4_basic
from hubgraph.api.control import admin
from hubgraph.api.http.fast_lane import FastRoute
from hubgraph.api.objects_v3 import basic as objects_v3_basic


def fast_routes() -> list[FastRoute]:
    return [
        *admin.FAST_ROUTES,
        *objects_v3_basic.FAST_ROUTES,
        *associations_v4_basic.FAST_ROUTES,
    ]
