"""The reference app (not TaskSync): see README.md beside this file."""
