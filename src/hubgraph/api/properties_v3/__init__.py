"""HubSpot's Properties v3 API (``/crm/v3/properties/{objectType}…``): definitions and groups."""
