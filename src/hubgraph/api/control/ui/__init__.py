"""The web UI under ``/_hubgraph/ui/``: server-rendered pages on the control plane's guard."""
