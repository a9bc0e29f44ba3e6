"""The action page as supporters reach it: the targets' panels (urge/actions) under the line
saying where the bill stands (urge/bills), which the actions app may not import."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_GET

from urge.actions.views import action_page
from urge.bills.status import tracked_status
from urge.campaigns.facts import campaign_or_404
from urge.campaigns.page import campaign_page


@require_GET
def act(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = campaign_or_404(slug)
    page = campaign_page(campaign, translation.get_language())
    page = page or campaign_page(campaign, settings.LANGUAGE_CODE)
    bill = {"tracked": tracked_status(campaign), "text": page.text if page else None}
    return action_page(request, campaign, "pages/act.html", embedded=False, extra=bill)
