"""Theme tagging of answers' comments, the Themes page and the organisation's taxonomy (issue 5)."""
