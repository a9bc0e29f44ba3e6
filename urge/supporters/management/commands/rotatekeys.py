"""`urge rotatekeys`: re-encrypt personal data under the newest key (a dry run unless --commit)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from urge.supporters.fields import EncryptedTextField
from urge.supporters.models import Supporter

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt every supporter's personal data with the first key of URGE_ENCRYPTION_KEYS, "
        "so that older keys can be removed. A dry run unless --commit; one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="Write the re-encrypted data.")

    def handle(self, *args: Any, **options: Any) -> None:
        fields = [
            field.name
            for field in Supporter._meta.get_fields()
            if isinstance(field, EncryptedTextField)
        ]
        total = Supporter.objects.count()
        if not options["commit"]:
            self.stdout.write(
                f"Dry run: {total} supporters ({len(fields)} encrypted fields each) would be "
                "re-encrypted with the newest key. Run again with --commit."
            )
            return
        with transaction.atomic():
            # Reading decrypts with whichever key fits; saving encrypts with the newest.
            for supporter in Supporter.objects.iterator(chunk_size=BATCH):
                supporter.save(update_fields=fields)
        self.stdout.write(f"Re-encrypted {total} supporters with the newest key.")
