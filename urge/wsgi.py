"""WSGI entry point for gunicorn."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urge.settings")

from urge.core.microcache import MicroCache

application = MicroCache(get_wsgi_application())

from urge.core.sharedcounts import share_across_forks  # noqa: E402
from urge.legislators.index import warm  # noqa: E402  (needs the apps loaded above)

# Both run in gunicorn's master before it forks the workers (`urge serve` preloads the app):
# the workers share the rate-limit table and the legislator index.
share_across_forks()
warm()
