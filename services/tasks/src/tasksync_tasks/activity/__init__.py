"""A room's history: what changed, who changed it, as it read at the time."""
