"""The checklist of each task."""
