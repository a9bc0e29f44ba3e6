"""`urge genkey`: print a new encryption key for URGE_ENCRYPTION_KEYS."""

from typing import Any

from cryptography.fernet import Fernet
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Print a new Fernet key. Put it first in URGE_ENCRYPTION_KEYS (comma-separated, newest "
        "first), run `urge rotatekeys --commit`, then remove the old key."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(Fernet.generate_key().decode())
