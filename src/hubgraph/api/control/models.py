"""Bodies of hubgraph's own control-plane calls (OAuth apps and codes, tiers, faults)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class ControlModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class AppInput(ControlModel):
    name: str
    redirect_uris: list[str] = Field(alias="redirectUris", min_length=1)
    scopes: list[str] | None = None


class CodeInput(ControlModel):
    client_id: str = Field(alias="clientId")
    portal_id: int = Field(alias="portalId")
    redirect_uri: str = Field(alias="redirectUri")
    scope: str | None = None
    optional_scope: str | None = Field(default=None, alias="optionalScope")
    code_challenge: str | None = Field(default=None, alias="codeChallenge")
    code_challenge_method: str | None = Field(default=None, alias="codeChallengeMethod")


class TierInput(ControlModel):
    tier: str
    add_ons: int = Field(default=0, alias="addOns", ge=0, le=2)
    ten_secondly_max: int | None = Field(default=None, alias="tenSecondlyMax", ge=1)
    daily_max: int | None = Field(default=None, alias="dailyMax", ge=1)


class FaultInput(ControlModel):
    route: str
    method: str | None = None
    portal_id: int | None = Field(default=None, alias="portalId")
    status: int | None = None
    latency_ms: int = Field(default=0, alias="latencyMs")
    rate: float = 1.0
    count: int | None = None


class TeamMembershipInput(ControlModel):
    name: str
    id: str | None = None
    primary: bool = False


class OwnerCreateInput(ControlModel):
    """An owner as ``PublicOwner`` names its fields; ids are handed out unless given."""

    email: str | None = None
    first_name: str | None = Field(default=None, alias="firstName")
    last_name: str | None = Field(default=None, alias="lastName")
    user_id: int | None = Field(default=None, alias="userId", ge=1, le=2**31 - 1)
    type: str = "PERSON"
    teams: list[TeamMembershipInput] = Field(default_factory=list)


APP_INPUT = TypeAdapter(AppInput)
CODE_INPUT = TypeAdapter(CodeInput)
TIER_INPUT = TypeAdapter(TierInput)
FAULT_INPUT = TypeAdapter(FaultInput)
OWNER_CREATE_INPUT = TypeAdapter(OwnerCreateInput)
