"""Views: ``public`` (the script and the API it calls from customers' sites), ``manage``."""
