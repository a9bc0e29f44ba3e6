"""Who sees what in the dashboard, as the privacy notice says: an organiser every co-host's
counts and the audit log but no supporter's details, a co-host's staffer only their own
supporters, an outsider nothing at all; nobody without both factors."""

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.people import cohost_staffer, organiser, outsider, person, sign_in_verified
from urge.campaigns.models import Campaign
from urge.dashboard.models import AuditEntry, StaffRole

CAMPAIGN = "/manage/c/hketo/"
OWN_LIST = "/manage/c/hketo/dc4hk/supporters/"
OWN_EXPORT = "/manage/c/hketo/dc4hk/export.csv"
OTHER_LIST = "/manage/c/hketo/hkdc/supporters/"
OTHER_EXPORT = "/manage/c/hketo/hkdc/export.csv"
AUDIT = "/manage/c/hketo/audit/"
EVERY_CAMPAIGN_PAGE = [CAMPAIGN, OWN_LIST, OWN_EXPORT, OTHER_LIST, OTHER_EXPORT, AUDIT]


@pytest.fixture
def as_organiser(client: Client, hketo: Campaign) -> Client:
    return sign_in_verified(client, organiser(hketo))


@pytest.fixture
def as_staffer(client: Client, hketo: Campaign) -> Client:
    return sign_in_verified(client, cohost_staffer(hketo, "dc4hk"))


def test_it_shows_an_organiser_every_cohosts_count_but_no_supporters_details(
    as_organiser: Client,
) -> None:
    """Issue 11, finding 4: organisers could list and export every co-host's supporters,
    while the notice says only the co-hosts a person ticks can see them."""
    html = as_organiser.get(CAMPAIGN).content.decode()
    assert "Hong Kong Democracy Council" in html  # every co-host, with its count
    assert "/supporters/" not in html
    assert "export.csv" not in html
    assert AUDIT in html
    for url in (CAMPAIGN, AUDIT):
        assert as_organiser.get(url).status_code == 200, url
    for url in (OWN_LIST, OWN_EXPORT, OTHER_LIST, OTHER_EXPORT):
        assert as_organiser.get(url).status_code == 404, url


def test_an_organiser_who_also_works_for_a_cohost_sees_that_cohosts_supporters(
    client: Client, hketo: Campaign
) -> None:
    both = organiser(hketo)
    StaffRole.objects.create(
        user=both, campaign=hketo, role=StaffRole.COHOST, cohost=hketo.cohosts.get(slug="dc4hk")
    )
    signed_in = sign_in_verified(client, both)
    assert signed_in.get(OWN_LIST).status_code == 200
    assert signed_in.get(OTHER_LIST).status_code == 404


def test_it_shows_a_cohost_staffer_only_their_own_cohost(as_staffer: Client) -> None:
    html = as_staffer.get(CAMPAIGN).content.decode()
    assert OWN_LIST in html
    assert OWN_EXPORT in html
    assert "Hong Kong Democracy Council" not in html
    assert "/hkdc/" not in html
    assert AUDIT not in html
    assert as_staffer.get(OWN_LIST).status_code == 200
    assert as_staffer.get(OWN_EXPORT).status_code == 200


@pytest.mark.parametrize(
    "url", [OTHER_LIST, OTHER_EXPORT, AUDIT, "/manage/c/hketo/nope/export.csv"]
)
def test_it_answers_404_to_a_cohost_staffer_outside_their_cohost(
    as_staffer: Client, url: str
) -> None:
    assert as_staffer.get(url).status_code == 404


@pytest.mark.parametrize("url", [*EVERY_CAMPAIGN_PAGE, "/manage/c/no-such-campaign/"])
def test_it_answers_404_everywhere_to_an_outsider(
    client: Client, hketo: Campaign, url: str
) -> None:
    sign_in_verified(client, outsider())
    assert client.get(url).status_code == 404


def test_it_answers_an_outsider_exactly_as_for_a_campaign_that_does_not_exist(
    client: Client, hketo: Campaign
) -> None:
    sign_in_verified(client, outsider())
    existing = client.get(CAMPAIGN)
    missing = client.get("/manage/c/no-such-campaign/")
    assert existing.content == missing.content


def test_it_lists_the_campaigns_and_roles_of_the_person_signed_in(as_staffer: Client) -> None:
    html = as_staffer.get("/manage/").content.decode()
    assert 'href="/manage/c/hketo/"' in html
    assert "staff of dc4hk" in html


def test_it_tells_an_outsider_they_have_no_campaign_yet(client: Client, hketo: Campaign) -> None:
    sign_in_verified(client, outsider())
    html = client.get("/manage/").content.decode()
    assert "You have no role in any campaign yet." in html
    assert "/manage/c/hketo/" not in html


@pytest.mark.parametrize("url", ["/manage/", *EVERY_CAMPAIGN_PAGE])
def test_it_sends_anonymous_visitors_to_sign_in(client: Client, hketo: Campaign, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/manage/signin/?next=")


@pytest.mark.parametrize("url", ["/manage/", *EVERY_CAMPAIGN_PAGE])
def test_it_sends_people_signed_in_without_a_code_to_verify(
    client: Client, hketo: Campaign, url: str
) -> None:
    client.force_login(organiser(hketo))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/manage/verify/?next=")


def test_it_keeps_every_dashboard_page_out_of_caches(as_organiser: Client, hketo: Campaign) -> None:
    for url in ["/manage/", CAMPAIGN, AUDIT]:
        assert "no-store" in as_organiser.get(url)["Cache-Control"], url
    staffer = sign_in_verified(Client(), cohost_staffer(hketo, "dc4hk"))
    for url in (OWN_LIST, OWN_EXPORT):
        assert "no-store" in staffer.get(url)["Cache-Control"], url


def test_it_serves_the_dashboard_under_the_chinese_prefix_too(as_organiser: Client) -> None:
    response = as_organiser.get("/zh-hant/manage/c/hketo/")
    assert response.status_code == 200
    assert 'lang="zh-Hant"' in response.content.decode()


def test_it_keeps_supporters_lists_to_staff_even_if_they_are_superusers_elsewhere(
    client: Client, hketo: Campaign
) -> None:
    """The admin is for running the site; supporters' details follow campaign roles only."""
    user: User = person("site-admin", superuser=True)
    sign_in_verified(client, user)
    assert client.get(OWN_LIST).status_code == 404


def test_a_refused_page_is_audited_by_its_route_and_answered_as_a_missing_one(
    client: Client, hketo: Campaign
) -> None:
    """A co-host's staffer at another co-host's export, and at a campaign that does not
    exist: the same 404, and both in the audit log, by route and never by path."""
    staffer = cohost_staffer(hketo, "dc4hk")
    sign_in_verified(client, staffer)
    refused = client.get(OTHER_EXPORT)
    missing = client.get("/manage/c/no-such-campaign/hkdc/export.csv")

    assert (refused.status_code, refused.content) == (missing.status_code, missing.content)
    assert dict(refused.headers) == dict(missing.headers)
    entries = AuditEntry.objects.filter(what=AuditEntry.REFUSED).order_by("pk")
    assert [(e.user, e.campaign, e.cohost and e.cohost.slug, e.route) for e in entries] == [
        (staffer, hketo, "hkdc", "urge-dashboard-export"),
        (staffer, None, None, "urge-dashboard-export"),
    ]


def test_nobody_without_both_factors_fills_the_audit_log(client: Client, hketo: Campaign) -> None:
    client.get(OTHER_EXPORT)
    client.force_login(cohost_staffer(hketo, "dc4hk"))
    client.get(OTHER_EXPORT)
    assert not AuditEntry.objects.exists()
