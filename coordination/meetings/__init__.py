"""Meetings of the coordination mechanisms: a country's national mechanism (its ministries
attending) and the regional network (its member states attending), with their minutes."""
