"""A deferred route serves and documents itself as FastAPI's own route does."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Query
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel

from hubgraph.api.http.deferred_route import DeferredAPIRoute


class Contact(BaseModel):
    email: str


def _app(route_class: type[APIRoute]) -> tuple[FastAPI, APIRouter]:
    router = APIRouter(prefix="/crm/v3/objects/{object_type}", route_class=route_class)

    @router.post("/echo", status_code=201)
    def echo(object_type: str, contact: Contact, limit: Annotated[int, Query()] = 10) -> Contact:
        """Echo a contact.\fNot documented."""
        return Contact(email=f"{object_type}:{contact.email}:{limit}")

    @router.get("/plain", response_model=None)
    def plain() -> dict[str, str]:
        return {"ok": "yes"}

    app = FastAPI()
    app.include_router(router)
    return app, router


def test_serves_and_documents_as_an_api_route_without_building_itself() -> None:
    deferred_app, deferred_router = _app(DeferredAPIRoute)
    plain_app, _ = _app(APIRoute)
    with TestClient(deferred_app) as deferred, TestClient(plain_app) as plain:
        for client in (deferred, plain):
            ok = client.post("/crm/v3/objects/contacts/echo?limit=3", json={"email": "a@b.c"})
            assert (ok.status_code, ok.json()) == (201, {"email": "contacts:a@b.c:3"})
            assert client.post("/crm/v3/objects/contacts/echo", json={}).status_code == 422
            assert client.get("/crm/v3/objects/x/plain").json() == {"ok": "yes"}
        assert deferred_app.openapi() == plain_app.openapi()
    # The app served its own build of each route; the declared ones were never needed.
    assert all("_declared" in route.__dict__ for route in deferred_router.routes)


def test_builds_itself_when_asked_for_what_it_deferred() -> None:
    _, router = _app(DeferredAPIRoute)
    route = router.routes[0]
    assert isinstance(route, DeferredAPIRoute)
    assert route.description == "Echo a contact."
    assert [param.name for param in route.dependant.query_params] == ["limit"]
    assert route.body_field is not None
    assert route.response_model is Contact
