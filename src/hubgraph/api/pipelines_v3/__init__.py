"""Pipelines v3: ``/crm/v3/pipelines/{objectType}`` (pipelines, stages, audits)."""
