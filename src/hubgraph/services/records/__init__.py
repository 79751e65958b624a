"""CRM records (objects v3): reads, creation with associations, updates, restore."""
