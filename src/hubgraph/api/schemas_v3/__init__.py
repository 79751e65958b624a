"""The custom object schemas API v3 (``/crm-object-schemas/v3/schemas``, ``/crm/v3/schemas``)."""
