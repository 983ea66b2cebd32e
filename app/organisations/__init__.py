"""Organisations: the real units work is routed to and staff belong to."""
