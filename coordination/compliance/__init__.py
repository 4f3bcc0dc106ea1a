"""Compliance per cycle and across cycles, extensions, the regional comparison, charts and exports."""
