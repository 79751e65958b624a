"""Settings, read from ``HUBGRAPH_*`` environment variables."""

from __future__ import annotations

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite:///./hubgraph.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUBGRAPH_", frozen=True)

    database_url: str = DEFAULT_DATABASE_URL
    # HubSpot's hublet appears in token prefixes (pat-na1-…); kept so tokens look real.
    hublet: str = "na1"
    # Bodies above this are refused with 413 before they are parsed.
    max_body_bytes: int = 10 * 1024 * 1024
    # Reference §3: the documented v4 batch/create limit, also used for associate/default.
    max_association_batch_inputs: int = 2000
    # Reference §3: CRM objects v3 batch endpoints.
    max_object_batch_inputs: int = 100
    # Reference §2.1: the schema guide documents 10 labels per object pair; higher tiers
    # are said to allow more (UNCONFIRMED), so it is a setting.
    max_labels_per_object_pair: int = 10
    # Reference §2.2/§3: custom association limits range from 1 to 10,000.
    max_association_limit: int = 10_000
    sqlite_busy_timeout_ms: int = 30_000
    pool_size: int = 10
    # Reference §1.7: associated records per input in one v4 batch/read page (UNCONFIRMED
    # upstream; 500, as the GET list).
    association_batch_read_page_size: int = 500
    # Reference §3: v4 batch/read inputs.
    max_association_batch_read_inputs: int = 1000
    # The control plane (/_hubgraph/portals/...): loopback clients only while this is
    # unset; once set, every caller must send it as a bearer token (docs/testing.md).
    admin_token: str | None = None
    # HubSpot's OpenAPI specs, for /_hubgraph/compat; default: ../shared/specs if present.
    specs_dir: str | None = None
    # OAuth (reference §8.2): access tokens live 30 minutes; authorization codes are
    # single-use and short-lived (RFC 6749 §4.1.2 advises at most 10 minutes).
    oauth_access_token_ttl_seconds: int = 1800
    oauth_code_ttl_seconds: int = 600
    # When set, GET /oauth/authorize approves at once for this portal (no consent page),
    # so a CI job can run the whole browser-less flow.
    oauth_auto_approve_portal: int | None = None
    # Rate-limit counters and injected faults are shared through Redis when set
    # (every worker and machine sees one limit); in process memory otherwise.
    redis_url: str | None = None
    redis_key_prefix: str = "hubgraph:"
    # Portals without a rate-limit tier of their own get this one; None: no limits.
    default_rate_limit_tier: Literal["free", "starter", "professional", "enterprise"] | None = None
    # App webhooks (docs/webhooks.md): deliveries run in every server process; a worker
    # looks for due events this often. The request timeout is HubSpot's documented 5 s.
    webhook_delivery: bool = True
    webhook_poll_interval_ms: int = 200
    webhook_timeout_ms: int = 5000
    # Seconds between attempts, comma-separated ("1,2,4"); unset: HubSpot's schedule of 10
    # retries spread over 24 hours, randomised (reference §5.4).
    webhook_retry_schedule: str | None = None
