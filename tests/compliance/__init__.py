"""Compliance, extensions, the regional comparison, charts and exports (a package, so that its
conftest and modules never clash with another folder's by name)."""
