from __future__ import annotations

import pytest

from hubgraph.domain.scope_catalogue import (
    known_scopes,
    nearest_scopes,
    require_known_scopes,
    unknown_scope_message,
)
from hubgraph.domain.scopes import all_crm_scopes
from hubgraph.errors import ValidationError


def test_every_scope_hubgraph_grants_is_in_hubspots_catalogue() -> None:
    assert set(all_crm_scopes()) <= known_scopes()
    assert {"oauth", "crm.schemas.custom.read", "automation", "crm.lists.write"} <= known_scopes()


def test_a_typo_gets_the_nearest_scopes_best_first() -> None:
    assert nearest_scopes("crm.objects.contact.read")[0] == "crm.objects.contacts.read"
    assert nearest_scopes("zzz") == []
    assert unknown_scope_message("zzz") == "unknown scope 'zzz'"


def test_unknown_scopes_are_a_validation_error_naming_each() -> None:
    require_known_scopes(["crm.objects.deals.read", "oauth"])
    with pytest.raises(ValidationError) as info:
        require_known_scopes(["crm.objects.deals.read", "crm.objects.deal.write", "x.y"])
    message = info.value.message
    assert message.startswith(
        "unknown scope 'crm.objects.deal.write'; did you mean crm.objects.deals.write or "
    )
    assert message.endswith("?; unknown scope 'x.y'")
