"""Portal users' passwords: hashed with scrypt (RFC 7914), a memory-hard KDF in the stdlib.

The stored form names its parameters, ``scrypt$n$r$p$salt$hash`` (salt and hash base64), so
the cost can be raised later without breaking the hashes already stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

# OWASP's password storage cheat sheet: scrypt with N=2^17, r=8, p=1 (128 MiB per hash).
# Logins are rare here, but a hash that costs a full second on a 2-core box would make
# the consent page a denial of service; 2^15 (32 MiB, ~60 ms) is its listed minimum tier.
COST = 2**15
BLOCK_SIZE = 8
PARALLELISM = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_LENGTH = 8
# Bounds the work one login attempt can ask for: scrypt hashes the whole password.
MAX_LENGTH = 256
_MAXMEM = 64 * 1024 * 1024


class WeakPassword(ValueError):
    """A password too short or too long to store."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _derive(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=_MAXMEM, dklen=HASH_BYTES
    )


def check_strength(password: str) -> None:
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"a password may have at most {MAX_LENGTH} characters")


def hash_password(password: str, cost: int = COST) -> str:
    """``cost`` is scrypt's N (a power of two); the stored hash records it."""
    check_strength(password)
    if cost < 2 or cost & (cost - 1):
        raise ValueError("the scrypt cost must be a power of two")
    salt = secrets.token_bytes(SALT_BYTES)
    derived = _derive(password, salt, cost, BLOCK_SIZE, PARALLELISM)
    return f"scrypt${cost}${BLOCK_SIZE}${PARALLELISM}${_b64(salt)}${_b64(derived)}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time comparison; a malformed stored hash or an absurd password never matches."""
    if len(password) > MAX_LENGTH:
        return False
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt" or int(n) > COST:
            return False
        derived = _derive(password, base64.b64decode(salt), int(n), int(r), int(p))
        return hmac.compare_digest(derived, base64.b64decode(expected))
    except (ValueError, TypeError):
        return False


# A hash to check against when the e-mail is unknown, so a login takes as long either way.
def dummy_hash() -> str:
    return _DUMMY


_DUMMY = f"scrypt${COST}${BLOCK_SIZE}${PARALLELISM}${_b64(b'0' * SALT_BYTES)}${_b64(b'0' * 32)}"
