"""Request models and response renderers, named as HubSpot's v4 spec names its schemas."""

from __future__ import annotations

from typing import Any

from pydantic import Field, TypeAdapter

from hubgraph.api.body import HubSpotModel
from hubgraph.domain.association_types import Category
from hubgraph.domain.associations import Association
from hubgraph.services.association_labels import LabelledInput, LabelsBetweenObjectPair
from hubgraph.services.association_reads import AssociatedPage, MultiAssociatedObjectWithLabel


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


# --- record-level and batch label endpoints ----------------------------------------------


class AssociationSpec(HubSpotModel):
    associationCategory: Category  # noqa: N815 - HubSpot's field name
    associationTypeId: int  # noqa: N815

    @property
    def key(self) -> tuple[Category, int]:
        return (self.associationCategory, self.associationTypeId)


class PublicAssociationMultiPost(HubSpotModel):
    from_: PublicObjectId = Field(alias="from")
    to: PublicObjectId
    types: list[AssociationSpec]


class BatchInputPublicAssociationMultiPost(HubSpotModel):
    inputs: list[PublicAssociationMultiPost]


class PublicAssociationMultiArchive(HubSpotModel):
    from_: PublicObjectId = Field(alias="from")
    to: list[PublicObjectId]


class BatchInputPublicAssociationMultiArchive(HubSpotModel):
    inputs: list[PublicAssociationMultiArchive]


class PublicFetchAssociationsBatchRequest(HubSpotModel):
    id: str
    after: str | None = None


class BatchInputPublicFetchAssociationsBatchRequest(HubSpotModel):
    inputs: list[PublicFetchAssociationsBatchRequest]


ASSOCIATION_SPECS = TypeAdapter(list[AssociationSpec])
BATCH_INPUT_MULTI_POST = TypeAdapter(BatchInputPublicAssociationMultiPost)
BATCH_INPUT_MULTI_ARCHIVE = TypeAdapter(BatchInputPublicAssociationMultiArchive)
BATCH_INPUT_FETCH = TypeAdapter(BatchInputPublicFetchAssociationsBatchRequest)


def labelled_inputs(batch: BatchInputPublicAssociationMultiPost) -> list[LabelledInput]:
    return [LabelledInput(i.from_.id, i.to.id, [t.key for t in i.types]) for i in batch.inputs]


def labels_between_object_pair(r: LabelsBetweenObjectPair) -> dict[str, Any]:
    """``LabelsBetweenObjectPair``: object ids as JSON numbers, as HubSpot sends them (§1.13)."""
    return {
        "fromObjectTypeId": r.from_type,
        "fromObjectId": r.from_id,
        "toObjectTypeId": r.to_type,
        "toObjectId": r.to_id,
        "labels": r.labels,
    }


def multi_associated_object_with_label(r: MultiAssociatedObjectWithLabel) -> dict[str, Any]:
    """``toObjectId`` is a JSON number; the unlabeled type carries ``"label": null``."""
    return {
        "toObjectId": r.to_object_id,
        "associationTypes": [
            {"category": t.category.value, "typeId": t.type_id, "label": t.label}
            for t in r.association_types
        ],
    }


def forward_paging(after: str | None) -> dict[str, Any]:
    """``paging`` only when more results exist (reference §1.4)."""
    return {} if after is None else {"paging": {"next": {"after": after}}}


def public_association_multi_with_label(page: AssociatedPage) -> dict[str, Any]:
    return {
        "from": {"id": page.from_id},
        "to": [multi_associated_object_with_label(r) for r in page.results],
        **forward_paging(page.after),
    }
