"""Organisers can edit a loaded campaign here; the folder stays the source for `urge load`.
Every change is in the audit log (urge/core/adminlog.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.forms import ModelForm

from urge.campaigns.markdown import check_markdown
from urge.campaigns.models import Campaign, CampaignText, CoHost, CoHostName, Section, Step
from urge.core.adminlog import AuditedAdmin

# An address typed without a scheme is taken as https, as Django 6 will do.
URL_FIELDS: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.URLField: {"assume_scheme": "https"}
}


class SectionForm(ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Section
        fields = ["language", "key", "position", "title", "body_markdown"]

    def clean_body_markdown(self) -> str:
        body: str = self.cleaned_data["body_markdown"]
        problems = check_markdown(body)
        if problems:
            raise ValidationError(problems)
        return body


class CampaignTextInline(admin.StackedInline):  # type: ignore[type-arg]
    model = CampaignText
    extra = 0


class StepInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Step
    extra = 0


class SectionInline(admin.StackedInline):  # type: ignore[type-arg]
    model = Section
    form = SectionForm
    extra = 0


@admin.register(Campaign)
class CampaignAdmin(AuditedAdmin[Campaign]):
    list_display = ["slug", "is_default", "opens_on", "closes_on", "bill_number", "updated_at"]
    formfield_overrides = URL_FIELDS
    inlines = [CampaignTextInline, StepInline, SectionInline]


class CoHostNameInline(admin.TabularInline):  # type: ignore[type-arg]
    model = CoHostName
    extra = 0


@admin.register(CoHost)
class CoHostAdmin(AuditedAdmin[CoHost]):
    list_display = ["slug", "campaign", "url", "position"]
    list_filter = ["campaign"]
    formfield_overrides = URL_FIELDS
    inlines = [CoHostNameInline]
