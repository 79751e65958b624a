"""Request models and response renderers, named as HubSpot's v4 spec names its schemas."""

from __future__ import annotations

from typing import Any

from pydantic import Field, TypeAdapter

from hubgraph.api.body import HubSpotModel
from hubgraph.domain.associations import Association


class PublicObjectId(HubSpotModel):
    id: str


class PublicDefaultAssociationMultiPost(HubSpotModel):
    from_: PublicObjectId = Field(alias="from")
    to: PublicObjectId


class BatchInputPublicDefaultAssociationMultiPost(HubSpotModel):
    inputs: list[PublicDefaultAssociationMultiPost]


BATCH_INPUT_DEFAULT = TypeAdapter(BatchInputPublicDefaultAssociationMultiPost)


def public_default_association(row: Association) -> dict[str, Any]:
    """``PublicDefaultAssociation``: ids as strings, as HubSpot sends them in this shape."""
    return {
        "from": {"id": str(row.from_id)},
        "to": {"id": str(row.to_id)},
        "associationSpec": {
            "associationCategory": row.category.value,
            "associationTypeId": row.type_id,
        },
    }
