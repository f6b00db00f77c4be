"""A room's labels, and which tasks carry them."""
