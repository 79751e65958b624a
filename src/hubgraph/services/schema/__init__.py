"""Association schema: labels and custom limit configurations."""
