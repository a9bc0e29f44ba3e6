"""WSGI entry point for the server (`urge serve` runs granian)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urge.settings")

from urge.core.microcache import MicroCache

application = MicroCache(get_wsgi_application())

from urge.core.sharedcounts import attach_from_environment  # noqa: E402
from urge.legislators.index import warm  # noqa: E402  (needs the apps loaded above)

# Each worker maps the rate-limit table `urge serve` made, and builds the legislator index
# before it takes its first request.
attach_from_environment()
warm()
