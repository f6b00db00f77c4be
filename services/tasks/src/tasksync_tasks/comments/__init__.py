"""Comments on tasks, and the @mentions in them."""
