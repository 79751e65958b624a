"""Persistence: SQLAlchemy Core tables, the engine, queries and migrations."""
