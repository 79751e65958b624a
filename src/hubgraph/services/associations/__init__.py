"""Association records: the shared kernel (pairs, live records), writes, deletes, reads, limits."""
