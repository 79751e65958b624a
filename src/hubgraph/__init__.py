"""hubgraph: a self-hosted, HubSpot-compatible CRM associations server."""

__version__ = "0.1.0"
