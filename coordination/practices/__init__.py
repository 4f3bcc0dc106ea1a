"""Good practices: a member state's write-up of what works, published to the whole network."""
