"""What worker processes share, in Redis or in memory: rate-limit counters and injected faults."""
