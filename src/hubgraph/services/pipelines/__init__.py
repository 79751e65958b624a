"""Pipelines and stages (Pipelines v3, the legacy v1 read path) and the check of a
record's pipeline, stage and owner values on every record write."""
