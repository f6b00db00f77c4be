"""What the rooms service adds to a room's history, and how it gets to the tasks service."""
