"""Webhooks API v3 (``/webhooks/v3/{appId}/…``): an app's settings and subscriptions."""
