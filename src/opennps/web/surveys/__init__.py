"""Surveys, the people asked, survey requests (personal links) and their responses."""
