"""Owners v3: ``/crm/v3/owners/`` and ``/crm/v3/owners/{ownerId}``."""
