"""WSGI entry point (``opennps serve`` runs it under granian)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opennps.web.settings.prod")

application = get_wsgi_application()
