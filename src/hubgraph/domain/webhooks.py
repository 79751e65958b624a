"""App webhooks: subscription types, their scopes, payloads, signatures and the retry schedule.

Facts from HubSpot's webhooks reference (shared ``hubspot-webhooks.md``); every choice it
leaves open is recorded in ``docs/compat.md`` (Webhooks).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import random
from dataclasses import dataclass
from typing import Any

# §2.1: the object part of a legacy subscription type, by objectTypeId.
LEGACY_OBJECTS: dict[str, str] = {
    "0-1": "contact",
    "0-2": "company",
    "0-3": "deal",
    "0-5": "ticket",
    "0-7": "product",
    "0-8": "line_item",
}
# §2.1: the events each object offers (products have no associationChange).
_EVENTS = ("creation", "deletion", "propertyChange", "associationChange", "merge", "restore")
SUBSCRIPTION_TYPES: frozenset[str] = frozenset(
    [
        f"{o}.{e}"
        for o in LEGACY_OBJECTS.values()
        for e in _EVENTS
        if (o, e) != ("product", "associationChange")
    ]
    + [f"object.{e}" for e in _EVENTS]
    + ["contact.privacyDeletion", "event.completed"]
    + [
        f"conversation.{e}"
        for e in ("creation", "deletion", "propertyChange", "privacyDeletion", "newMessage")
    ]
)
# §1.4: properties no subscription may name.
UNSUBSCRIBABLE_PROPERTIES = frozenset({"num_unique_conversion_events", "hs_lastmodifieddate"})
# §2.3: the scope an installation needs for each object's events.
OBJECT_SCOPES: dict[str, str] = {
    "contact": "crm.objects.contacts.read",
    "company": "crm.objects.companies.read",
    "deal": "crm.objects.deals.read",
    "ticket": "tickets",
    "product": "e-commerce",
    "line_item": "e-commerce",
    "conversation": "conversations.read",
}
MAX_SUBSCRIPTIONS_PER_APP = 1000  # §1.5
MAX_EVENTS_PER_REQUEST = 100  # §4.0
MIN_MAX_CONCURRENT_REQUESTS = 5  # §1.2: "must be a number greater than five"

# §5.4: ten retries spread over 24 hours (sums to ~23.9 h); each delay is randomised
# upwards (up to a quarter) so a burst of failures does not retry in lock-step.
DEFAULT_RETRY_DELAYS_S: tuple[float, ...] = (
    60,
    300,
    900,
    1800,
    3600,
    7200,
    14400,
    21600,
    21600,
    14400,
)


def parse_retry_schedule(value: str | None) -> tuple[float, ...] | None:
    """``HUBGRAPH_WEBHOOK_RETRY_SCHEDULE``: comma-separated seconds between attempts."""
    if not value or not value.strip():
        return None
    delays = tuple(float(part) for part in value.split(",") if part.strip())
    if any(d < 0 for d in delays):
        raise ValueError("retry delays must not be negative")
    return delays


def retry_delay_s(schedule: tuple[float, ...] | None, attempt_number: int) -> float | None:
    """Seconds to wait before attempt ``attempt_number`` (1-based retries); None: give up."""
    delays = DEFAULT_RETRY_DELAYS_S if schedule is None else schedule
    if attempt_number > len(delays):
        return None
    delay = delays[attempt_number - 1]
    if schedule is None:  # only HubSpot's own schedule is randomised; a test's is exact
        delay *= 1 + random.random() / 4  # noqa: S311 - jitter, not security
    return delay


@dataclass(frozen=True, slots=True)
class EventKind:
    """What a subscription type asks for: the object part and the event part."""

    object_name: str
    event: str

    @classmethod
    def parse(cls, subscription_type: str) -> EventKind:
        object_name, _, event = subscription_type.partition(".")
        return cls(object_name, event)


def subscription_type_for(
    object_type_id: str, event: str, subscription_object_type_id: str | None
) -> str | None:
    """The ``subscriptionType`` a change of ``event`` on a record of the type delivers as."""
    if subscription_object_type_id is not None:
        return f"object.{event}" if subscription_object_type_id == object_type_id else None
    legacy = LEGACY_OBJECTS.get(object_type_id)
    return None if legacy is None else f"{legacy}.{event}"


def association_type_name(from_type_id: str, to_type_id: str) -> str | None:
    """§4.2: ``CONTACT_TO_COMPANY`` (only between objects with legacy names)."""
    a, b = LEGACY_OBJECTS.get(from_type_id), LEGACY_OBJECTS.get(to_type_id)
    return None if a is None or b is None else f"{a.upper()}_TO_{b.upper()}"


def event_payload(
    *,
    event_id: int,
    subscription_id: int,
    portal_id: int,
    app_id: int,
    occurred_at: int,
    subscription_type: str,
    details: dict[str, Any],
) -> dict[str, Any]:
    """§4.1: the common fields in the order real deliveries have them; ``attemptNumber`` is
    filled in at each attempt."""
    return {
        "eventId": event_id,
        "subscriptionId": subscription_id,
        "portalId": portal_id,
        "appId": app_id,
        "occurredAt": occurred_at,
        "subscriptionType": subscription_type,
        "attemptNumber": 0,
        **details,
    }


# §6.4: the escapes HubSpot decodes in the target URL before signing with v3.
_V3_DECODED = {
    "%3A": ":",
    "%2F": "/",
    "%3F": "?",
    "%40": "@",
    "%21": "!",
    "%24": "$",
    "%27": "'",
    "%28": "(",
    "%29": ")",
    "%2A": "*",
    "%2C": ",",
    "%3B": ";",
}


def signature_v1(client_secret: str, body: bytes) -> str:
    """§6.2: hex SHA-256 of the secret followed by the body, not an HMAC."""
    return hashlib.sha256(client_secret.encode() + body).hexdigest()


def signature_v3(client_secret: str, method: str, uri: str, body: bytes, timestamp: str) -> str:
    """§6.4: base64 HMAC-SHA256 of method + URI + body + timestamp, keyed by the secret."""
    for escape, char in _V3_DECODED.items():
        uri = uri.replace(escape, char).replace(escape.lower(), char)
    message = method.encode() + uri.encode() + body + timestamp.encode()
    digest = hmac.new(client_secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
