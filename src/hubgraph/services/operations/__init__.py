"""Running the server: health, the spec coverage table, high-usage reports."""
