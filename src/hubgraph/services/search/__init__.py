"""CRM search (``POST /crm/v3/objects/{objectType}/search``)."""
