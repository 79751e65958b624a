"""App webhooks: developer keys, settings and subscriptions, events from writes, delivery."""
