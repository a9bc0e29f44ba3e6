"""`urge rotatekeys`: re-encrypt the data keys under the newest site key (a dry run unless
--commit)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from urge.core.signals import keys_rotated
from urge.supporters import datakeys
from urge.supporters.fields import EncryptedTextField
from urge.supporters.models import Supporter

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt every supporter's data key with the first key of URGE_ENCRYPTION_KEYS, so "
        "that older keys can be removed, and seal any personal data stored before data keys "
        "existed under its supporter's own key. A dry run unless --commit."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="Write the re-encrypted data.")

    def handle(self, *args: Any, **options: Any) -> None:
        fields = [
            field.name
            for field in Supporter._meta.get_fields()
            if isinstance(field, EncryptedTextField)
        ]
        keys = sum(1 for _name in datakeys.names())
        rows = Supporter.objects.filter(anonymised_at__isnull=True)
        total = rows.count()
        if not options["commit"]:
            self.stdout.write(
                f"Dry run: {keys} data keys would be re-encrypted with the newest key, and "
                f"{total} supporters' {len(fields)} personal fields sealed anew. Run again "
                "with --commit."
            )
            return
        keys = datakeys.rewrap()
        with transaction.atomic():
            # Reading opens a value whichever key sealed it; saving seals it under the row's
            # data key, whose file is now encrypted with the newest site key.
            # Locked: an erasure (or a confirmation) meanwhile waits, rather than having
            # what it changed written back from rows read before it.
            for supporter in rows.select_for_update().iterator(chunk_size=BATCH):
                supporter.save(update_fields=fields)
        for _receiver, sealed in keys_rotated.send(sender=self.__class__):
            self.stdout.write(str(sealed))
        self.stdout.write(
            f"Re-encrypted {keys} data keys with the newest key; sealed {total} supporters' "
            "fields anew."
        )
