"""`urge createsuperuser` points to `urge addstaff NAME --site-admin`: the one way to make a
site admin, which the audit log records."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Not used: make a site admin with `urge addstaff NAME --site-admin`."

    def run_from_argv(self, argv: list[str]) -> None:
        super().run_from_argv(argv[:2])  # whatever Django's options were given: the same answer

    def handle(self, *args: Any, **options: Any) -> None:
        raise CommandError(
            "Site admins are made with `urge addstaff NAME --site-admin`, "
            "which writes it to the audit log."
        )
