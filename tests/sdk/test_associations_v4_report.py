"""The official SDK's ``crm.associations.v4.report_api``."""

from __future__ import annotations

from datetime import datetime

from hubspot import Client
from hubspot.crm.associations.v4 import ReportCreationResponse


def test_request_parses_report_creation_response(sdk: Client) -> None:
    response = sdk.crm.associations.v4.report_api.request(42)
    assert isinstance(response, ReportCreationResponse)
    assert response.user_id == 42
    assert isinstance(response.enqueue_time, datetime)
    assert response.enqueue_time.tzinfo is not None
