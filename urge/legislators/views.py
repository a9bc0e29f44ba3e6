"""The lookup as JSON: `GET /api/lookup?zip=...`, or an address by `POST /api/lookup`
(documented in the README)."""

import re

from django.http import HttpRequest, JsonResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import condition, require_http_methods

from urge.core.caching import for_this_visitor_only, shared_by_everyone
from urge.core.ratelimit import client_key
from urge.legislators.answers import TooManyAddresses, answer_json, configured_geocoder
from urge.legislators.forms import ERRORS
from urge.legislators.index import index_holder
from urge.legislators.lookup import AddressQuery, QueryError, lookup, parse_query

ADDRESS_BY_POST = (
    "Send a street address in the body of a POST (form-encoded), never in the URL, "
    "where logs and browser histories keep it."
)
# ASCII digits only: str.isdigit() also accepts "²", which int() refuses, and int() refuses
# more than 4,300 digits. The page's form takes the same range.
DISTRICT = re.compile(r"[0-9]{1,2}")


def _release_etag(request: HttpRequest) -> str | None:
    """One ETag per data release: an answer by ZIP changes only when another release is active."""
    if request.method != "GET":
        return None
    index = index_holder.get()
    return f"release-{index.release_id}" if index is not None else None


@csrf_exempt  # it changes nothing and reads no cookie; third parties post without a token
@require_http_methods(["GET", "HEAD", "POST"])
@condition(etag_func=_release_etag)
def api_lookup(request: HttpRequest) -> JsonResponse:
    if request.method == "POST":
        # An address is the visitor's own: no cache keeps the answer.
        return for_this_visitor_only(_lookup(request.POST, client_key(request)))
    if "address" in request.GET or _names_an_address(request.GET.get("zip", "")):
        # Also an address typed into `zip=`: it would sit in the URL, in logs and caches.
        return for_this_visitor_only(_error(400, "address-by-post", ADDRESS_BY_POST))
    response = _lookup(request.GET, client_key(request))
    if response.status_code >= 500:
        return for_this_visitor_only(response)
    return shared_by_everyone(response)


def _names_an_address(raw: str) -> bool:
    try:
        return isinstance(parse_query(raw), AddressQuery)
    except QueryError:
        return False


def _lookup(fields: QueryDict, client: str) -> JsonResponse:
    index = index_holder.get()
    if index is None:
        return _error(503, "not-loaded", "Legislator data is not loaded on this server yet.")
    raw = fields.get("address") or fields.get("zip", "")
    district = fields.get("district", "")
    if district and not DISTRICT.fullmatch(district):
        return _error(400, "bad-district", "district must be a whole number from 0 to 99.")
    try:
        answer = lookup(
            index,
            parse_query(raw),
            state=fields.get("state", "").upper(),
            district=int(district) if district else None,
            geocode=configured_geocoder(client),
        )
    except QueryError as error:
        return _error(400, error.code, str(ERRORS[error.code]))
    except TooManyAddresses:
        return _error(429, "too-many-addresses", str(ERRORS["too-many-addresses"]))
    return JsonResponse(answer_json(answer, index))


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": message}, status=status)
