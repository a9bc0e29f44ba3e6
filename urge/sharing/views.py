"""The link-preview image, served from this site: a crawler that reads a shared link's tags
fetches it here, from the same origin as the page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_http_methods

from urge.sharing.models import PreviewImage

# The URL names the bytes by their hash: a new picture gets a new URL, so any cache may keep
# this one for good.
YEAR_SECONDS = 365 * 24 * 3600


@require_http_methods(["GET", "HEAD"])
def preview_image(request: HttpRequest, slug: str, digest: str) -> HttpResponse:
    png = (
        PreviewImage.objects.filter(campaign__slug=slug, digest=digest)
        .values_list("png", flat=True)
        .first()
    )
    if png is None:
        raise Http404("No such picture.")
    response = HttpResponse(bytes(png), content_type="image/png")
    patch_cache_control(response, public=True, max_age=YEAR_SECONDS, immutable=True)
    return response
