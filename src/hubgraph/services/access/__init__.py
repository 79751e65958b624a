"""Who may call and how often: portals, tokens, OAuth, rate limits, admission, fault injection."""
