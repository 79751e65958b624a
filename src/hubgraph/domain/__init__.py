"""HubSpot's rules and reference data, with no I/O: object types, association types, scopes."""
