"""HubSpot's CRM Objects v3 API (``/crm/v3/objects/...``): records for associations to link."""
