"""Webhook signatures against HubSpot's published vectors (reference §6), and the schedule."""

from __future__ import annotations

import pytest
from hubspot.utils.signature import Signature

from hubgraph.domain.webhooks import (
    DEFAULT_RETRY_DELAYS_S,
    SUBSCRIPTION_TYPES,
    parse_retry_schedule,
    retry_delay_s,
    signature_v1,
    signature_v3,
)

SECRET = "yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy"


def test_v1_matches_the_docs_vector() -> None:
    body = (
        b'[{"eventId":1,"subscriptionId":12345,"portalId":62515,"occurredAt":1564113600000,'
        b'"subscriptionType":"contact.creation","attemptNumber":0,"objectId":123,'
        b'"changeSource":"CRM","changeFlag":"NEW","appId":54321}]'
    )
    assert signature_v1(SECRET, body) == (
        "232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de"
    )


def test_v3_matches_the_sdk_vector() -> None:
    body = b"{'example_field':'example_value'}"
    signed = signature_v3(
        SECRET, "POST", "https://www.example.com/webhook_uri", body, "1693657560000"
    )
    assert signed == "K36dawei4A+QBNolUOqo7s91KQDWQ5MXZ/QufNYuk/Y="


def test_v3_decodes_the_twelve_escapes_and_the_sdk_agrees_on_plain_urls() -> None:
    body, timestamp = b"[]", "1693657560000"
    encoded = signature_v3(SECRET, "POST", "https://h.example/a%3Ab%2Fc?x=%20", body, timestamp)
    plain = signature_v3(SECRET, "POST", "https://h.example/a:b/c?x=%20", body, timestamp)
    assert encoded == plain
    sdk = Signature.get_signature(
        SECRET, "[]", "v3", http_uri="https://h.example/a:b/c?x=%20", timestamp=timestamp
    )
    assert sdk == plain


def test_the_48_subscription_types() -> None:
    assert len(SUBSCRIPTION_TYPES) == 48
    assert "line_item.associationChange" in SUBSCRIPTION_TYPES
    assert "product.associationChange" not in SUBSCRIPTION_TYPES


def test_retry_schedules() -> None:
    assert parse_retry_schedule(None) is None
    assert parse_retry_schedule("1, 2,4") == (1.0, 2.0, 4.0)
    with pytest.raises(ValueError, match="negative"):
        parse_retry_schedule("1,-2")
    assert retry_delay_s((1.0, 2.0), 2) == 2.0
    assert retry_delay_s((1.0, 2.0), 3) is None
    assert len(DEFAULT_RETRY_DELAYS_S) == 10
    assert 23 * 3600 < sum(DEFAULT_RETRY_DELAYS_S) < 24 * 3600
    for attempt, delay in enumerate(DEFAULT_RETRY_DELAYS_S, start=1):
        jittered = retry_delay_s(None, attempt)
        assert jittered is not None
        assert delay <= jittered <= delay * 1.25
    assert retry_delay_s(None, 11) is None
