"""The regional network's recommendations and benchmarks, and each addressed member state's
progress on them, cycle by cycle: assessed by the country, validated by the secretariat."""
