"""Campaign facts kept briefly in memory: asked once, then answered without the database."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from urge.campaigns.facts import campaign_named, campaign_or_404, wordings
from urge.campaigns.models import Campaign
from urge.core.memo import forget_all


@pytest.fixture
def remembering(settings: Any) -> Any:
    settings.URGE_MEMO_SECONDS = 60
    forget_all()
    yield
    forget_all()


def test_a_campaign_is_looked_up_once_then_remembered(
    hketo: Campaign, remembering: None, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        assert campaign_named("hketo") == hketo
        assert campaign_named("hketo") == hketo
    with django_assert_num_queries(1):
        assert ("post", "ask-for-a-vote") in wordings(hketo.pk)
        assert ("email", "ask-for-a-vote") not in wordings(hketo.pk)


def test_without_memory_every_call_asks_the_database(
    hketo: Campaign, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        campaign_named("hketo")
        campaign_named("hketo")


def test_an_unknown_campaign_is_a_404(db: None) -> None:
    with pytest.raises(Http404):
        campaign_or_404("no-such-campaign")
