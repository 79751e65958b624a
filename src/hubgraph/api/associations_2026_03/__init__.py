"""HubSpot's date-versioned 2026-03 associations API: v4's routes under new paths.

Each route delegates to its v4 handler (same parsing, services and rendering); only where
the 2026-03 spec answers differently is the response built here (docs/compat.md,
"Date-versioned API (2026-03)").
"""
