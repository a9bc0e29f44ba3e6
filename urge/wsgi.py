"""WSGI entry point for the server (`urge serve` runs granian): Django, behind its HTTP cache."""

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urge.settings")

django.setup(set_prefix=False)  # as get_wsgi_application() does

# What follows needs the apps loaded above.
from urge.core.metrics import CountedHttpCache  # noqa: E402
from urge.core.sharedcounts import shared  # noqa: E402
from urge.core.unreadable import WSGIHandler  # noqa: E402
from urge.legislators.index import warm  # noqa: E402

# Django's own handler, with requests that never fail to be built (core/unreadable.py).
django_application = WSGIHandler()

# Every response is Django's; the cache only replays those Django marked public (and counts
# them for /metrics, urge/core/metrics.py).
application = CountedHttpCache(django_application)

# Each worker maps the rate-limit table `urge serve` made, and builds the legislator index
# before it takes its first request.
shared()
warm()
