"""The Webhooks v3 management API: an app's settings and subscriptions (reference §1).

Callers are developer accounts, by API key (``?hapikey=``, §1.1); an app's settings and
subscriptions are only its owner's. Changes apply at once (HubSpot caches them for up
to five minutes, §1.2).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from hubgraph.domain.webhooks import (
    MAX_SUBSCRIPTIONS_PER_APP,
    MIN_MAX_CONCURRENT_REQUESTS,
    SUBSCRIPTION_TYPES,
    UNSUBSCRIBABLE_PROPERTIES,
    EventKind,
)
from hubgraph.errors import (
    HubSpotError,
    InvalidAuthentication,
    ObjectNotFound,
    UnknownObjectType,
    ValidationError,
)
from hubgraph.services.access import oauth
from hubgraph.services.clock import now_ms
from hubgraph.services.context import Services
from hubgraph.services.results import BatchOutcome, ItemError
from hubgraph.services.webhooks.events import subscriptions_changed
from hubgraph.store import oauth as oauth_store
from hubgraph.store import webhooks as store
from hubgraph.store.webhooks import SettingsRow as SettingsRow
from hubgraph.store.webhooks import SubscriptionRow as SubscriptionRow


class InvalidDeveloperKey(InvalidAuthentication):
    """401 for a missing or unknown ``hapikey``, or a key of another account's app.

    HubSpot's message for these is UNCONFIRMED (reference §1.1); this one says what to send.
    """

    def __init__(self) -> None:
        HubSpotError.__init__(
            self,
            "The webhooks API needs the developer API key of the account that owns the app, "
            "as ?hapikey=…; portal tokens are not accepted.",
        )


class TooManySubscriptions(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            "Couldn't create another subscription. You've reached the maximum number allowed "
            f"per application ({MAX_SUBSCRIPTIONS_PER_APP})."
        )


@dataclass(frozen=True, slots=True)
class DeveloperApp:
    """An app id the caller's developer key owns."""

    app_id: int


def authenticate(services: Services, api_key: str | None, app_id: int) -> DeveloperApp:
    if not api_key:
        raise InvalidDeveloperKey()
    account = oauth.developer_account_for_key(services, api_key)
    if account is None:
        raise InvalidDeveloperKey()
    with services.database.read() as conn:
        owner = oauth_store.app_owner(conn, app_id)
    if owner != account:
        raise InvalidDeveloperKey()
    return DeveloperApp(app_id)


# --- settings (§1.2) -------------------------------------------------------------------


def get_settings(services: Services, app: DeveloperApp) -> SettingsRow:
    with services.database.read() as conn:
        found = store.get_settings(conn, app.app_id)
    if found is None:
        raise ObjectNotFound(f"No webhook settings exist for app {app.app_id}")
    return found


def put_settings(
    services: Services,
    app: DeveloperApp,
    target_url: str,
    max_concurrent_requests: int,
    period: str | None,
) -> SettingsRow:
    _check_target_url(target_url)
    if max_concurrent_requests <= MIN_MAX_CONCURRENT_REQUESTS:
        raise ValidationError("maxConcurrentRequests must be a number greater than five")
    with services.database.write() as conn:
        store.put_settings(conn, app.app_id, target_url, max_concurrent_requests, period, now_ms())
        found = store.get_settings(conn, app.app_id)
    assert found is not None
    return found


def _check_target_url(target_url: str) -> None:
    """HubSpot wants public HTTPS; an emulator must reach loopback test servers too, so any
    absolute http(s) URL is taken (restricting hosts is the deployment's job: docs/deploy)."""
    parts = urlsplit(target_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValidationError(f"targetUrl must be an absolute http(s) URL, got '{target_url}'")


def delete_settings(services: Services, app: DeveloperApp) -> None:
    """Subscriptions stay; nothing is delivered until settings exist again (§1.2)."""
    with services.database.write() as conn:
        store.delete_settings(conn, app.app_id)


# --- subscriptions (§1.3, §1.4) --------------------------------------------------------


def list_subscriptions(services: Services, app: DeveloperApp) -> list[SubscriptionRow]:
    with services.database.read() as conn:
        return store.list_subscriptions(conn, app.app_id)


def create_subscription(
    services: Services,
    app: DeveloperApp,
    event_type: str,
    property_name: str | None,
    object_type_id: str | None,
    active: bool,
) -> SubscriptionRow:
    kind = _check_event_type(event_type)
    if kind.event == "propertyChange":
        if not property_name:
            raise ValidationError(f"propertyName is required for {event_type} subscriptions")
        if property_name in UNSUBSCRIBABLE_PROPERTIES:
            raise ValidationError(f"Property {property_name} cannot be subscribed to")
    elif property_name is not None:
        raise ValidationError("propertyName only applies to propertyChange subscriptions")
    if kind.object_name == "object":
        object_type_id = _resolve_object_type(services, object_type_id)
    with services.database.write() as conn:
        if store.count_subscriptions(conn, app.app_id) >= MAX_SUBSCRIPTIONS_PER_APP:
            raise TooManySubscriptions()
        created = store.add_subscription(
            conn, app.app_id, event_type, property_name, object_type_id, active, now_ms()
        )
    subscriptions_changed(services)
    return created


def _check_event_type(event_type: str) -> EventKind:
    if event_type not in SUBSCRIPTION_TYPES:
        raise ValidationError(
            f"Invalid input JSON: eventType '{event_type}' is not one of HubSpot's "
            "subscription types"
        )
    return EventKind.parse(event_type)


def _resolve_object_type(services: Services, object_type_id: str | None) -> str:
    if not object_type_id:
        raise ValidationError("objectTypeId is required for object.* subscriptions")
    try:
        return services.object_types.resolve(object_type_id).id
    except UnknownObjectType as exc:
        raise ValidationError(exc.message) from exc


def get_subscription(
    services: Services, app: DeveloperApp, subscription_id: int
) -> SubscriptionRow:
    with services.database.read() as conn:
        found = store.subscriptions_by_id(conn, app.app_id, [subscription_id])
    if subscription_id not in found:
        raise _subscription_not_found(subscription_id)
    return found[subscription_id]


def set_subscription_active(
    services: Services, app: DeveloperApp, subscription_id: int, active: bool | None
) -> SubscriptionRow:
    with services.database.write() as conn:
        found = store.subscriptions_by_id(conn, app.app_id, [subscription_id])
        if subscription_id not in found:
            raise _subscription_not_found(subscription_id)
        if active is not None:
            store.set_active(conn, app.app_id, [subscription_id], active, now_ms())
        updated = store.subscriptions_by_id(conn, app.app_id, [subscription_id])
    subscriptions_changed(services)
    return updated[subscription_id]


def delete_subscription(services: Services, app: DeveloperApp, subscription_id: int) -> None:
    with services.database.write() as conn:
        if not store.delete_subscription(conn, app.app_id, subscription_id):
            raise _subscription_not_found(subscription_id)
    subscriptions_changed(services)


def batch_update(
    services: Services, app: DeveloperApp, inputs: list[tuple[int, bool]]
) -> BatchOutcome[SubscriptionRow]:
    """Sets ``active`` by id; unknown ids become one ``SUBSCRIPTION_ID_NOT_FOUND`` error."""
    outcome: BatchOutcome[SubscriptionRow] = BatchOutcome()
    wanted = dict(inputs)
    with services.database.write() as conn:
        found = store.subscriptions_by_id(conn, app.app_id, wanted)
        for active in (True, False):
            ids = [i for i, a in wanted.items() if a is active and i in found]
            if ids:
                store.set_active(conn, app.app_id, ids, active, now_ms())
        updated = store.subscriptions_by_id(conn, app.app_id, list(found))
    outcome.results = [updated[i] for i in wanted if i in updated]
    missing = [str(i) for i in wanted if i not in found]
    if missing:
        outcome.errors.append(
            ItemError(
                category="SUBSCRIPTION_ID_NOT_FOUND",
                message=(
                    f"Failed to find subscriptions by id `{', '.join(missing)}`. "
                    "Try again using a different subscriptionId."
                ),
                context={"subscriptionIds": missing},
                sub_category="SubscriptionErrors.SUBSCRIPTION_IDS_NOT_FOUND",
            )
        )
    subscriptions_changed(services)
    return outcome


def _subscription_not_found(subscription_id: int) -> ObjectNotFound:
    return ObjectNotFound(
        f"Failed to find subscriptions by id `{subscription_id}`. "
        "Try again using a different subscriptionId."
    )
