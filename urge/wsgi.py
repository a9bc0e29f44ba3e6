"""WSGI entry point for the server (`urge serve` runs granian)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urge.settings")

django_application = get_wsgi_application()

# What follows needs the apps loaded above.
from urge.actions import fastlane as actions_fastlane  # noqa: E402
from urge.core.fastlane import FastLane, Route  # noqa: E402
from urge.core.microcache import MicroCache  # noqa: E402
from urge.core.sharedcounts import attach_from_environment  # noqa: E402
from urge.legislators import fastlane as legislators_fastlane  # noqa: E402
from urge.legislators.index import warm  # noqa: E402
from urge.supporters import fastlane as supporters_fastlane  # noqa: E402

# Outermost first: the fast lane's few routes, then whole cached pages, then Django.
application = FastLane(
    MicroCache(django_application),
    [
        Route("lookup", "GET", legislators_fastlane.PATH, legislators_fastlane.api_lookup),
        Route("act", "POST", actions_fastlane.PATH, actions_fastlane.go),
        Route("join", "POST", supporters_fastlane.PATH, supporters_fastlane.join),
    ],
)

# Each worker maps the rate-limit table `urge serve` made, and builds the legislator index
# before it takes its first request.
attach_from_environment()
warm()
