"""The public campaign page."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from urge.campaigns.models import Campaign
from urge.campaigns.page import campaign_page
from urge.core.languages import alternates
from urge.legislators.answers import page_context
from urge.legislators.forms import LookupForm
from urge.legislators.index import index_holder

# The ZIP form posts back to the page it is on. It changes nothing, so it needs no CSRF
# token, and without one the page sets no cookie at all.
page_view = require_http_methods(["GET", "HEAD", "POST"])


@csrf_exempt
@page_view
def home(request: HttpRequest) -> HttpResponse:
    campaign = Campaign.objects.filter(is_default=True).first()
    if campaign is None:
        return render(request, "campaigns/no_campaign.html", status=404)
    return _render_campaign(request, campaign, "urge-home", {})


@csrf_exempt
@page_view
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
        **_lookup(request, campaign),
    }
    return render(request, "campaigns/campaign.html", context)


def _lookup(request: HttpRequest, campaign: Campaign) -> dict[str, Any]:
    index = index_holder.get()
    form = LookupForm(request.POST if request.method == "POST" else None)
    answer = form.answer(index) if index is not None and form.is_valid() else None
    return {
        "lookup_form": form,
        "answer": answer,
        "index": index,
        **page_context(answer, campaign.targets_house),
    }
