"""The legacy pipeline read paths: CRM Pipelines v1 and the older Deal Pipelines v1."""
