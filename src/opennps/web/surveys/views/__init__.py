"""Views: ``public`` (respondents' pages), ``manage`` (the survey editor), ``imports``."""
