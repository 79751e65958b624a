"""``DeferredAPIRoute``: a route whose own request handling is built only if it is used.

FastAPI (0.163) builds a route's request handling (its dependency graph and pydantic
validators, ~2 ms each) twice: when the route is declared (``@router.get``, at import) and
again for each app that includes its router, as the app serves it (with the app's own
dependencies, on the router's first request or for OpenAPI). The first build serves
nothing in hubgraph, whose routes are all served through ``include_router``; it was a
third of importing the app (issue 16). Declared, a deferred route keeps what matching and
the per-app build read (its path, methods, name and the options it was declared with) and
builds the rest the first time something asks for it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import IntEnum
from typing import Any

from fastapi.routing import APIRoute
from starlette.routing import compile_path, get_name

# The declaration's options not given: APIRoute's own defaults.
_DEFAULTS = {
    name: parameter.default
    for name, parameter in inspect.signature(APIRoute.__init__).parameters.items()
    if parameter.default is not inspect.Parameter.empty
}


class DeferredAPIRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **options: Any) -> None:
        self._declared = options
        given = {**_DEFAULTS, **options}
        for name, value in given.items():
            setattr(self, name, value)
        # As APIRoute normalises them; ``response_model`` stays as declared (the per-app
        # build reads the endpoint's return annotation when it was not given).
        self.path = path
        self.endpoint = endpoint
        self.stream_item_type = None
        self.tags = given["tags"] or []
        self.responses = given["responses"] or {}
        self.dependencies = list(given["dependencies"] or [])
        self.name = get_name(endpoint) if given["name"] is None else given["name"]
        self.path_regex, self.path_format, self.param_convertors = compile_path(path)
        methods = ["GET"] if given["methods"] is None else given["methods"]
        self.methods = {method.upper() for method in methods}
        status_code = given["status_code"]
        self.status_code = int(status_code) if isinstance(status_code, IntEnum) else status_code
        description = given["description"] or inspect.cleandoc(endpoint.__doc__ or "")
        self.description = description.split("\f")[0].strip()

    def __getattr__(self, name: str) -> Any:
        # Only for what the declaration did not set (the dependant, body and response
        # fields, the handler): APIRoute builds everything, once.
        declared = self.__dict__.pop("_declared", None)
        if declared is None:
            raise AttributeError(name)
        APIRoute.__init__(self, self.path, self.endpoint, **declared)
        return getattr(self, name)
