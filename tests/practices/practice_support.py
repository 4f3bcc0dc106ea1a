"""What the good-practice tests share: a practice as its coordinator writes it up."""
PRACTICE = {"title": "One registry for every programme", "summary": "A household registry that every "
            "social programme reads, updated by the barangays.", "body": "How it works.\n\nWhat it cost.",
            "guarantee": "overall"}
