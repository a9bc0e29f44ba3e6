"""Counters for rate limits, kept in the database when no Redis is configured."""

from __future__ import annotations

from django.db import models


class RateCounter(models.Model):
    """Hits of one limit by one keyed client in one time window; never an IP address."""

    key = models.CharField(max_length=128, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return self.key
