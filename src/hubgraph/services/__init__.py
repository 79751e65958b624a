"""Orchestration: resolve types, check records, write, collect per-item errors."""
