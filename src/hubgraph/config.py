"""Settings, read from ``HUBGRAPH_*`` environment variables."""

from __future__ import annotations

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
