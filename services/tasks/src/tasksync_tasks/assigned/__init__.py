"""The caller's own tasks, across every room they belong to."""
