"""What the request log shows has its secrets taken out, even from a body cut short."""

from __future__ import annotations

import pytest

from hubgraph.api.control.ui.redaction import REDACTED, redact, redacted_body

TOKEN = "pat-na1-0f3e1b6a-1c2d-4e5f-8a9b-0123456789ab"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('{"access_token": "abc123", "expires_in": 1800}', "abc123"),
        ('{"refresh_token":"r-1", "token_type": "bearer"}', "r-1"),
        ('{"client_secret": "s3cr\\"et"}', 's3cr\\"et'),
        ('{"code": "oauth-code-1"}', "oauth-code-1"),
        ('{"client_secret": "cut-short-at-the-end-of-the-kept-by', "cut-short"),
        ("grant_type=authorization_code&client_secret=form-secret&code=c-9", "form-secret"),
        ("grant_type=authorization_code&client_secret=form-secret&code=c-9", "c-9"),
        ("refresh_token=r-2&client_id=app", "r-2"),
        ("Authorization: Bearer tok-123", "tok-123"),
        (f'{{"message": "token {TOKEN} is not valid"}}', TOKEN),
        ('{"properties": {"hs_api_key": "k-1"}}', "k-1"),
    ],
)
def test_secrets_are_redacted(text: str, secret: str) -> None:
    shown = redact(text)
    assert secret not in shown
    assert REDACTED in shown


def test_ordinary_data_is_left_as_it_is() -> None:
    text = '{"properties": {"email": "a@example.com", "zipcode": "12345", "name": "Acme"}}'
    assert redact(text) == text


def test_bodies_that_are_not_utf8_still_show() -> None:
    assert redacted_body(b'{"name": "\xff"}') == '{"name": "\ufffd"}'
