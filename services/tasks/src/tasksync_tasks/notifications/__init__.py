"""Notifications: what happened that concerns the caller (mentions, assignments, comments)."""
