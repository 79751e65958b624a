"""What kind of value a property holds, as far as search comparisons need to know.

A stand-in until the Properties API's definitions land in ``domain`` (issue 14,
objmodel): then ``property_kind`` asks them instead. Until then it knows the system
properties kept in columns and HubSpot's default dates, numbers and enumerations of the
standard objects (reference §1.6); anything else is a string.
"""

from __future__ import annotations

from enum import StrEnum


class PropertyKind(StrEnum):
    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    DATE = "date"
    ENUMERATION = "enumeration"
    BOOL = "bool"


# System properties derived from the record row, never stored (api/objects_v3/models.py).
SYSTEM_COLUMNS = {
    "hs_object_id": "id",
    "createdate": "created_at",
    "hs_createdate": "created_at",
    "lastmodifieddate": "updated_at",
    "hs_lastmodifieddate": "updated_at",
}

_DATETIMES = frozenset(
    {"closedate", "notes_last_updated", "notes_next_activity_date", "hs_timestamp"}
)
_DATES = frozenset({"hs_expiration_date"})
_NUMBERS = frozenset(
    {
        "associatedcompanyid",
        "amount",
        "amount_in_home_currency",
        "hs_deal_stage_probability",
        "days_to_close",
        "num_associated_contacts",
        "num_associated_deals",
        "hs_parent_company_id",
        "hs_ticket_id",
        "price",
        "quantity",
    }
)
_COMPANY_NUMBERS = frozenset({"annualrevenue", "numberofemployees"})
_ENUMERATIONS = frozenset(
    {
        "lifecyclestage",
        "hs_lead_status",
        "hubspot_owner_id",
        "hs_merged_object_ids",
        "hs_additional_emails",
        "dealstage",
        "dealtype",
        "pipeline",
        "deal_currency_code",
        "hs_pipeline",
        "hs_pipeline_stage",
        "hs_ticket_priority",
        "hs_ticket_category",
        "source_type",
    }
)
_COMPANY_ENUMERATIONS = frozenset({"industry", "type"})
_BOOLS = frozenset({"hs_email_optout"})


def property_kind(object_type_id: str, name: str) -> PropertyKind:
    if name in SYSTEM_COLUMNS and name != "hs_object_id":
        return PropertyKind.DATETIME
    if name in _DATETIMES:
        return PropertyKind.DATETIME
    if name in _DATES:
        return PropertyKind.DATE
    if name in _NUMBERS or name == "hs_object_id":
        return PropertyKind.NUMBER
    if object_type_id == "0-2" and name in _COMPANY_NUMBERS:
        return PropertyKind.NUMBER
    if name in _ENUMERATIONS or (object_type_id == "0-2" and name in _COMPANY_ENUMERATIONS):
        return PropertyKind.ENUMERATION
    if name in _BOOLS:
        return PropertyKind.BOOL
    return PropertyKind.STRING
