"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urge.settings")

from urge.core.microcache import MicroCache

application = MicroCache(get_wsgi_application())

from urge.legislators.index import warm  # noqa: E402  (needs the apps loaded above)

warm()
