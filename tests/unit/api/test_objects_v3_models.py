"""SimplePublicObject's maintained properties come from the row, not from stored values."""

from __future__ import annotations

from hubgraph.api.objects_v3.models import simple_public_object
from hubgraph.domain.object_types import standard_object_types
from hubgraph.services.records.reads import CrmObject
from hubgraph.store.objects import ObjectRow

CONTACTS = standard_object_types().resolve("contacts")


def test_derived_values_win_over_stale_stored_ones_except_createdate() -> None:
    stored = {
        "hs_object_id": "1",
        "hs_lastmodifieddate": "2000-01-01T00:00:00.000Z",
        "createdate": "2010-05-01T00:00:00.000Z",
        "firstname": "Ada",
    }
    body = simple_public_object(CrmObject(CONTACTS, ObjectRow(7, stored, 1000, 2000, None)))
    assert body["properties"] == {
        "hs_object_id": "7",
        "hs_lastmodifieddate": "1970-01-01T00:00:02.000Z",
        "createdate": "2010-05-01T00:00:00.000Z",
        "firstname": "Ada",
        "lastmodifieddate": "1970-01-01T00:00:02.000Z",
    }


def test_requested_maintained_properties_are_derived() -> None:
    row = ObjectRow(7, {}, 1000, 2000, None)
    only = simple_public_object(CrmObject(CONTACTS, row), ["hs_createdate", "email"])
    assert only["properties"]["hs_createdate"] == "1970-01-01T00:00:01.000Z"
    assert only["properties"]["email"] is None
