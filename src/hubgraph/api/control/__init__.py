"""hubgraph's own control plane, everything under /_hubgraph/."""
