"""Search: one box over what the user may read (action items, country reports and, later, good
practices), served by the databases' own full-text indexes."""
