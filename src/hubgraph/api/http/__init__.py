"""HTTP plumbing every route shares: bodies, responses, errors, auth dependencies, middleware."""
