"""Properties: definitions (defaults + the portal's own), groups, and checking record writes."""
