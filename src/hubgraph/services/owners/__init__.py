"""Owners (Owners v3) and the users and teams read from them (Settings users v3)."""
