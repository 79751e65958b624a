"""High-usage reports: which records use 80 % or more of an association limit (ref §1.11).

HubSpot e-mails the report to the user; hubgraph has no mail and no users, so it keeps
the report for ``GET /_hubgraph/reports/high-usage/{userId}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hubgraph.domain.object_types import standard_object_types
from hubgraph.domain.scopes import read_scopes
from hubgraph.errors import ObjectNotFound, ValidationError
from hubgraph.services.access.portals import Principal
from hubgraph.services.clock import iso, now_ms
from hubgraph.services.context import Services
from hubgraph.store import high_usage_reports as report_store

# Reference §1.11: "80 % or more" of a limit.
THRESHOLD = (4, 5)
MAX_INT32 = 2**31 - 1


@dataclass(frozen=True, slots=True)
class HighUsageReport:
    user_id: int
    enqueued_at: int
    records: list[dict[str, Any]]


def _any_read_scope() -> list[str]:
    return sorted({s for t in standard_object_types() for s in read_scopes(t)})


def _check_user_id(user_id: int) -> None:
    if not 0 < user_id <= MAX_INT32:
        raise ValidationError(
            f"userId must be a positive 32-bit integer, got {user_id}",
            context={"userId": [str(user_id)]},
        )


def request_report(services: Services, principal: Principal, user_id: int) -> HighUsageReport:
    """Compute the report now (one query) and keep it as the user's latest."""
    principal.require_any(_any_read_scope())
    _check_user_id(user_id)
    enqueued_at = now_ms()
    numerator, denominator = THRESHOLD
    with services.database.write() as conn:
        usage = report_store.usage_at_or_above(conn, principal.portal_id, numerator, denominator)
        records = [
            {
                "objectTypeId": u.from_type,
                "objectId": u.from_id,
                "toObjectTypeId": u.to_type,
                "category": u.category,
                "typeId": u.type_id,
                "associatedCount": u.count,
                "limit": u.limit,
                "percentOfLimit": round(100 * u.count / u.limit, 1),
            }
            for u in usage
        ]
        report_store.replace_report(conn, principal.portal_id, user_id, enqueued_at, records)
    return HighUsageReport(user_id, enqueued_at, records)


def latest_report(services: Services, principal: Principal, user_id: int) -> HighUsageReport:
    principal.require_any(_any_read_scope())
    with services.database.read() as conn:
        found = report_store.latest_report(conn, principal.portal_id, user_id)
    if found is None:
        raise ObjectNotFound()
    return HighUsageReport(user_id, found[0], found[1])


def render(report: HighUsageReport) -> dict[str, Any]:
    return {
        "userId": report.user_id,
        "enqueueTime": iso(report.enqueued_at),
        "threshold": 0.8,
        "records": report.records,
    }
