"""HubSpot's errors, one class per kind of error HubSpot answers with.

    HubSpotError                      any non-2xx answer, rendered as HubSpot's envelope
    ├── ValidationError               400 VALIDATION_ERROR
    │   ├── InvalidJsonInput          400, the body is not the JSON the endpoint takes
    │   ├── UnknownObjectType         400 "Unable to infer object type from: …"
    │   └── TooManyInputs             400, a batch above its input limit
    ├── InvalidAuthentication         401 INVALID_AUTHENTICATION
    ├── MissingScopes                 403 MISSING_SCOPES
    ├── ObjectNotFound                404 OBJECT_NOT_FOUND
    ├── RouteNotFound                 404, no such endpoint
    ├── MethodNotAllowed              405
    ├── PayloadTooLarge               413
    └── UnsupportedMediaType          415, a body that does not say it is JSON

``api/errors.py`` is the one place that turns these into HTTP responses; the classes
only carry HubSpot's fields, so services raise them without knowing about HTTP.
"""

from __future__ import annotations

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


class InvalidAuthentication(HubSpotError):
    status_code = 401
    category = "INVALID_AUTHENTICATION"

    def __init__(self) -> None:
        super().__init__(
            "Authentication credentials not found. This API supports OAuth 2.0 "
            f"authentication and you can find more details at {OAUTH_DOC_URL}"
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


class UnsupportedMediaType(HubSpotError):
    status_code = 415
    category = "VALIDATION_ERROR"

    def __init__(self, media_type: str) -> None:
        super().__init__(
            f"Unsupported media type {media_type!r}: the request body must be application/json"
        )
