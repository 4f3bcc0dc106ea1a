"""Cross-border action items: one regional item of the secretariat for two or more member states,
each country's part a national action item that runs through that country's workflow."""
