"""HubSpot's OAuth v1 API: the token endpoint, token metadata, and the authorize page."""
