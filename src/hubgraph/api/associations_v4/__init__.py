"""HubSpot's CRM Associations v4 API (``/crm/v4/...``)."""
