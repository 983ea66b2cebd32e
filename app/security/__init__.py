"""Defences that span features: login throttling (state in the database, shared by every process)."""
