"""Attachments: evidence documents on action items and country reports."""
