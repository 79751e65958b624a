"""The date-versioned 2026-03 paths of Pipelines and Owners: v3's handlers, new prefixes."""
