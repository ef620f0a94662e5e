"""The PostgreSQL backend of the service: Django's, with a health check without a round trip."""
