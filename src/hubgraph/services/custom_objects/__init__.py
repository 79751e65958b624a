"""Custom objects: their schemas and the association types those define."""
