"""The rules of the survey service; views, commands and (later) the API call these."""
