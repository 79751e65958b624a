"""HubSpot's errors, one class per kind of error HubSpot answers with.

    HubSpotError                      any non-2xx answer, rendered as HubSpot's envelope
    ├── ValidationError               400 VALIDATION_ERROR
    │   ├── InvalidJsonInput          400, the body is not the JSON the endpoint takes
    │   ├── UnknownObjectType         400 "Unable to infer object type from: …"
    │   ├── TooManyInputs             400, a batch above its input limit
    │   └── TooManyNestedItems        400, a batch input's nested lists above their limit

    │   └── PropertyValuesNotValid    400 "Property values were not valid: [...]"
    ├── Conflict                      409 CONFLICT
    │   └── ObjectAlreadyExists       409 "Contact already exists. Existing ID: N"
    ├── InvalidAuthentication         401 INVALID_AUTHENTICATION
    ├── AdminTokenRequired            401, /_hubgraph control plane without its admin token
    ├── LoopbackOnly                  403, /_hubgraph control plane from another machine
    ├── MissingScopes                 403 MISSING_SCOPES
    ├── ObjectNotFound                404 OBJECT_NOT_FOUND
    ├── RouteNotFound                 404, no such endpoint
    ├── MethodNotAllowed              405
    ├── PayloadTooLarge               413
    ├── ExpiredAuthentication         401 EXPIRED_AUTHENTICATION, an OAuth token past its expiry
    ├── OAuthError                    400 {"status": "BAD_…"}: the OAuth token endpoint's own shape
    ├── RateLimited                   429 {"errorType": "RATE_LIMIT", "policyName": …}
    ├── SearchRateLimited             429 RATE_LIMITS, CRM search's own per-second limit
    ├── InjectedFault                 a status injected through /_hubgraph/faults
    └── UnsupportedMediaType          415, a body that does not say it is JSON

``api/errors.py`` is the one place that turns these into HTTP responses; the classes
only carry HubSpot's fields, so services raise them without knowing about HTTP.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

SCOPES_DOC_URL = "https://developers.hubspot.com/scopes"
OAUTH_DOC_URL = "https://developers.hubspot.com/docs/methods/auth/oauth-overview"


class HubSpotError(Exception):
    status_code: int = 500
    category: str = "INTERNAL_ERROR"

    def __init__(
        self,
        message: str,
        *,
        category: str | None = None,
        sub_category: str | None = None,
        context: dict[str, list[str]] | None = None,
        errors: list[dict[str, Any]] | None = None,
        links: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        if category is not None:
            self.category = category
        self.sub_category = sub_category
        self.context = context
        self.errors = errors
        self.links = links

    def body(self, correlation_id: str) -> dict[str, Any]:
        """HubSpot's error envelope (reference §5.3), keys in HubSpot's order."""
        body: dict[str, Any] = {
            "status": "error",
            "message": self.message,
            "correlationId": correlation_id,
        }
        if self.context:
            body["context"] = self.context
        if self.errors:
            body["errors"] = self.errors
        if self.links:
            body["links"] = self.links
        body["category"] = self.category
        if self.sub_category:
            body["subCategory"] = self.sub_category
        return body


class ValidationError(HubSpotError):
    status_code = 400
    category = "VALIDATION_ERROR"


class InvalidJsonInput(ValidationError):
    pass


class UnknownObjectType(ValidationError):
    def __init__(self, value: str) -> None:
        super().__init__(f"Unable to infer object type from: {value}")


class TooManyInputs(ValidationError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            f"The maximum number of inputs supported in a batch is {limit}. "
            "Please reduce the number of items and try again"
        )


class TooManyNestedItems(ValidationError):
    def __init__(self, per_list: int, per_batch: int, max_inputs: int | None = None) -> None:
        # Refused from a byte count, too many inputs and too many nested items look alike:
        # the message then names both limits, the inputs' first, in HubSpot's wording.
        inputs = (
            f"The maximum number of inputs supported in a batch is {max_inputs}. "
            if max_inputs is not None
            else ""
        )
        super().__init__(
            f"{inputs}The maximum number of items in one list of a batch input is {per_list}, "
            f"and {per_batch} in all lists of a batch. Please reduce the number of items and "
            "try again"
        )


@dataclass(frozen=True, slots=True)
class InvalidProperty:
    """One entry of HubSpot's "Property values were not valid" list (reference §2.1)."""

    name: str
    code: str
    message: str
    value: str | None = None
    """The rejected value; HubSpot's entry carries it as ``propertyValue``."""


VALUES_NOT_VALID = "Property values were not valid: "


def property_values_message(invalid: list[InvalidProperty], portal_id: int) -> str:
    """The prefix and a compact JSON array, one entry per invalid property (§2.1)."""
    entries: list[dict[str, Any]] = []
    for item in invalid:
        entry: dict[str, Any] = {
            "isValid": False,
            "message": item.message,
            "error": item.code,
            "name": item.name,
        }
        if item.value is not None:
            entry["propertyValue"] = item.value
        entry["localizedErrorMessage"] = item.message
        entry["portalId"] = portal_id
        entries.append(entry)
    return VALUES_NOT_VALID + json.dumps(entries, separators=(",", ":"), ensure_ascii=False)


def property_errors(invalid: list[InvalidProperty]) -> list[dict[str, Any]]:
    """The same entries as ``errors[]``: message, code, context.propertyName."""
    return [
        {"message": i.message, "code": i.code, "context": {"propertyName": [i.name]}}
        for i in invalid
    ]


class PropertyValuesNotValid(ValidationError):
    def __init__(self, invalid: list[InvalidProperty], portal_id: int) -> None:
        super().__init__(
            property_values_message(invalid, portal_id), errors=property_errors(invalid)
        )
        self.invalid = invalid


class Conflict(HubSpotError):
    status_code = 409
    category = "CONFLICT"


class ObjectAlreadyExists(Conflict):
    """A unique value another record holds: ``Contact already exists. Existing ID: N``.

    The Existing ID is only in the text (reference §3.1, php#59); other object types
    and custom unique properties use the same sentence with their own name (UNCONFIRMED).
    """

    def __init__(self, object_label: str, existing_id: int) -> None:
        super().__init__(f"{object_label} already exists. Existing ID: {existing_id}")
        self.existing_id = existing_id


class InvalidAuthentication(HubSpotError):
    status_code = 401
    category = "INVALID_AUTHENTICATION"

    def __init__(self) -> None:
        super().__init__(
            "Authentication credentials not found. This API supports OAuth 2.0 "
            f"authentication and you can find more details at {OAUTH_DOC_URL}"
        )


class AdminTokenRequired(HubSpotError):
    status_code = 401
    category = "INVALID_AUTHENTICATION"

    def __init__(self) -> None:
        super().__init__(
            "The hubgraph control plane needs the admin token (HUBGRAPH_ADMIN_TOKEN) "
            "as 'Authorization: Bearer <token>'"
        )


class LoopbackOnly(HubSpotError):
    status_code = 403
    category = "FORBIDDEN"

    def __init__(self, reason: str | None = None) -> None:
        because = f" ({reason})" if reason else ""
        super().__init__(
            f"The hubgraph control plane answers local requests only{because}; set "
            "HUBGRAPH_ADMIN_TOKEN on the server and send it to use it from anywhere else"
        )


class MissingScopes(HubSpotError):
    status_code = 403
    category = "MISSING_SCOPES"

    def __init__(self, acceptable_scopes: list[str]) -> None:
        super().__init__(
            "This app hasn't been granted all required scopes to make this call. "
            f"Read more about required scopes here: {SCOPES_DOC_URL}.",
            errors=[
                {
                    "message": "One or more of the following scopes are required.",
                    "context": {"requiredGranularScopes": acceptable_scopes},
                }
            ],
            links={"scopes": SCOPES_DOC_URL},
        )


class ObjectNotFound(HubSpotError):
    status_code = 404
    category = "OBJECT_NOT_FOUND"

    def __init__(self, message: str = "resource not found") -> None:
        super().__init__(message)


class RouteNotFound(HubSpotError):
    status_code = 404
    category = "OBJECT_NOT_FOUND"

    def __init__(self, method: str, path: str) -> None:
        super().__init__(f"Unable to find a route for {method} {path}")


class MethodNotAllowed(HubSpotError):
    status_code = 405
    category = "VALIDATION_ERROR"

    def __init__(self, method: str, path: str) -> None:
        super().__init__(f"HTTP method {method} is not supported by {path}")


class PayloadTooLarge(HubSpotError):
    status_code = 413
    category = "VALIDATION_ERROR"

    def __init__(self, limit: int) -> None:
        super().__init__(f"The request body is larger than the limit of {limit} bytes")


# --- OAuth, rate limits and injected faults -------------------------------------------

_EXPIRY_UNITS = (("day(s)", 86_400), ("hour(s)", 3_600), ("minute(s)", 60))


def _elapsed(seconds: int) -> str:
    """HubSpot counts in the largest whole unit: "3 minute(s)", "1 second(s)"."""
    for unit, size in _EXPIRY_UNITS:
        if seconds >= size:
            return f"{seconds // size} {unit}"
    return f"{max(seconds, 0)} second(s)"


class ExpiredAuthentication(HubSpotError):
    status_code = 401
    category = "EXPIRED_AUTHENTICATION"

    def __init__(self, expired_seconds_ago: int, expire_time_iso: str) -> None:
        super().__init__(
            f"The OAuth token used to make this call expired {_elapsed(expired_seconds_ago)} ago.",
            context={"expire time": [expire_time_iso]},
        )


class OAuthError(HubSpotError):
    """The OAuth endpoints answer ``{"status": "BAD_…", "message": …}``, not the envelope.

    Since January 2026 HubSpot adds RFC 6749's ``error``/``error_description`` (reference §8.2).
    """

    status_code = 400

    def __init__(self, status: str, message: str, error: str, description: str) -> None:
        super().__init__(message, category=status)
        self.error = error
        self.description = description

    def body(self, correlation_id: str) -> dict[str, Any]:
        return {
            "status": self.category,
            "message": self.message,
            "correlationId": correlation_id,
            "error": self.error,
            "error_description": self.description,
        }


class BadRefreshToken(OAuthError):
    def __init__(self) -> None:
        text = "refresh token is invalid, expired or revoked"
        super().__init__("BAD_REFRESH_TOKEN", text, "invalid_grant", text)


class BadAuthCode(OAuthError):
    def __init__(self) -> None:
        text = "missing or unknown auth code"
        super().__init__("BAD_AUTH_CODE", text, "invalid_grant", text)


class ExpiredAuthCode(OAuthError):
    def __init__(self) -> None:
        text = "auth code is expired"
        super().__init__("EXPIRED_AUTH_CODE", text, "invalid_grant", text)


class BadClientId(OAuthError):
    def __init__(self) -> None:
        text = "missing or unknown client id"
        super().__init__("BAD_CLIENT_ID", text, "invalid_client", text)


class BadClientSecret(OAuthError):
    def __init__(self) -> None:
        text = "missing or invalid client secret"
        super().__init__("BAD_CLIENT_SECRET", text, "invalid_client", text)


class BadRedirectUri(OAuthError):
    def __init__(self) -> None:
        text = "redirect_uri does not match the one the auth code was issued for"
        super().__init__("BAD_REDIRECT_URI", text, "invalid_grant", text)


class BadGrantType(OAuthError):
    def __init__(self) -> None:
        text = "missing or unknown grant type"
        super().__init__("BAD_GRANT_TYPE", text, "unsupported_grant_type", text)


class BadCodeVerifier(OAuthError):
    def __init__(self) -> None:
        text = "code_verifier is missing or does not match the code_challenge"
        super().__init__("BAD_CODE_VERIFIER", text, "invalid_grant", text)


class BadScopes(OAuthError):
    def __init__(self, scopes: list[str]) -> None:
        text = f"scopes not granted to this app: {' '.join(scopes)}"
        super().__init__("BAD_SCOPES", text, "invalid_scope", text)


class TokenNotFound(HubSpotError):
    """Token metadata for a token we never issued (or one that was deleted)."""

    status_code = 404
    category = "OBJECT_NOT_FOUND"

    def __init__(self) -> None:
        super().__init__("Token not found")


class RateLimited(HubSpotError):
    """429 (reference §9.3): ``errorType`` and ``policyName`` instead of a category."""

    status_code = 429

    def __init__(self, policy_name: str, request_id: str) -> None:
        limit = "daily" if policy_name == "DAILY" else policy_name.lower()
        super().__init__(f"You have reached your {limit} limit.", category="RATE_LIMIT")
        self.policy_name = policy_name
        self.request_id = request_id

    def body(self, correlation_id: str) -> dict[str, Any]:
        return {
            "status": "error",
            "message": self.message,
            "errorType": "RATE_LIMIT",
            "correlationId": correlation_id,
            "policyName": self.policy_name,
            "requestId": self.request_id,
        }


class SearchRateLimited(HubSpotError):
    """CRM search's per-second limit: HubSpot's recorded body has a category and no
    ``policyName`` (reference §4.4; observed in grouparoo's recorded search responses)."""

    status_code = 429
    category = "RATE_LIMITS"

    def __init__(self) -> None:
        super().__init__("You have reached your secondly limit.")


class InjectedFault(HubSpotError):
    """A failure asked for through /_hubgraph/faults, in HubSpot's envelope."""

    def __init__(self, status_code: int, message: str, category: str) -> None:
        super().__init__(message, category=category)
        self.status_code = status_code


class UnsupportedMediaType(HubSpotError):
    status_code = 415
    category = "VALIDATION_ERROR"

    def __init__(self, media_type: str) -> None:
        super().__init__(
            f"Unsupported media type {media_type!r}: the request body must be application/json"
        )
