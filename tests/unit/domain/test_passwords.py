"""Portal users' passwords: scrypt hashes that name their parameters."""

from __future__ import annotations

import pytest

from hubgraph.domain.passwords import (
    MAX_LENGTH,
    WeakPassword,
    dummy_hash,
    hash_password,
    verify_password,
)


def test_a_hash_verifies_its_password_only() -> None:
    stored = hash_password("correct horse", cost=2**10)
    assert stored.startswith("scrypt$1024$8$1$")
    assert "correct horse" not in stored
    assert verify_password("correct horse", stored)
    assert not verify_password("correct horsE", stored)
    assert hash_password("correct horse", cost=2**10) != stored  # salted


@pytest.mark.parametrize("password", ["short", "x" * (MAX_LENGTH + 1)])
def test_too_short_or_too_long_is_refused(password: str) -> None:
    with pytest.raises(WeakPassword):
        hash_password(password, cost=2**10)


@pytest.mark.parametrize(
    "stored", ["", "plain", "md5$x$y", "scrypt$abc$8$1$AA==$AA==", "scrypt$1048576$8$1$AA==$AA=="]
)
def test_a_malformed_or_too_costly_stored_hash_never_matches(stored: str) -> None:
    assert not verify_password("anything at all", stored)


def test_the_dummy_hash_matches_nothing() -> None:
    assert not verify_password("", dummy_hash())
    assert not verify_password("password1", dummy_hash())
