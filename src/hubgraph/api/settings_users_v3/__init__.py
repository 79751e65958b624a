"""Settings users v3 (user provisioning), read-only: users, teams and roles."""
