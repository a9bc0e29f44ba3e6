"""The public campaign page."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation

from urge.campaigns.models import Campaign
from urge.campaigns.page import campaign_page
from urge.core.languages import alternates


def home(request: HttpRequest) -> HttpResponse:
    campaign = Campaign.objects.filter(is_default=True).first()
    if campaign is None:
        return render(request, "campaigns/no_campaign.html", status=404)
    return _render_campaign(request, campaign, "urge-home", {})


def campaign(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Campaign, slug=slug)
    return _render_campaign(request, found, "urge-campaign", {"slug": slug})


def _render_campaign(
    request: HttpRequest, campaign: Campaign, url_name: str, kwargs: dict[str, str]
) -> HttpResponse:
    language = translation.get_language()
    page = campaign_page(campaign, language)
    if page is None:
        # Not written in this language: send the reader to the site's own language.
        with translation.override(settings.LANGUAGE_CODE):
            return redirect(reverse(url_name, kwargs=kwargs))
    context = {
        "page": page,
        "alternates": alternates(request, url_name, kwargs, campaign.languages()),
    }
    return render(request, "campaigns/campaign.html", context)
