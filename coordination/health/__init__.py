"""Coordination health: per country and reporting cycle, figures computed from the records."""
