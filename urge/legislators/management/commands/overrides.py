"""`urge overrides`: load organisers' contact details from a file (a dry run unless --commit),
or write the stored ones out in the same format."""

from pathlib import Path
from typing import Any

from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    no_translations,
)
from django.db import transaction

from urge.legislators import overrides
from urge.legislators.handles import LABELS
from urge.legislators.index import index_holder
from urge.legislators.models import ContactOverride
from urge.legislators.overridefile import Located, OverrideFileError, dump, read_file
from urge.legislators.sync import active_release


class Command(BaseCommand):
    help = (
        "Contact details organisers add to the official legislator data (X, Bluesky, Threads "
        "and Mastodon handles, contact form, phone), each with a source and a date. "
        "`load FILE` checks a YAML file and, with --commit, saves every entry in it; entries "
        "not in the file are kept. `dump` prints the stored ones as such a file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser("load", help="Check a file, and save it with --commit.")
        load.add_argument("file", type=Path)
        load.add_argument("--commit", action="store_true", help="Save the entries.")
        actions.add_parser("dump", help="Print every stored override as YAML.")

    @no_translations  # the messages of the checks, in English as the rest of the output
    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "dump":
            self.stdout.write(dump(), ending="")
            return
        path: Path = options["file"]
        try:
            entries = read_file(path)
        except OverrideFileError as error:
            raise CommandError(f"{error}\nNothing was changed.") from None
        self._plan(entries)
        if not options["commit"]:
            self.stdout.write("Dry run: nothing was written. Run again with --commit to save.")
            return
        counts = self._save(entries, f"urge overrides load {path.name}")
        index_holder.forget()
        self.stdout.write(self.style.SUCCESS(f"Saved: {_counted(counts)}."))

    def _plan(self, entries: list[Located]) -> None:
        stored = {(row.bioguide, row.field): row for row in ContactOverride.objects.all()}
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for located in entries:
            entry = located.entry
            row = stored.get((entry.bioguide, entry.field))
            if row is None:
                counts["created"] += 1
                self._line(located, f"add {entry.value}")
            elif (row.value, row.source, row.checked_on) != (
                entry.value,
                entry.source,
                entry.checked_on,
            ):
                counts["updated"] += 1
                self._line(located, f"change {row.value} to {entry.value}")
            else:
                counts["unchanged"] += 1
        self.stdout.write(f"{len(entries)} entries: {_counted(counts)}")
        self._unknown(entries)

    def _line(self, located: Located, what: str) -> None:
        entry = located.entry
        self.stdout.write(f"  line {located.line}: {entry.bioguide} {LABELS[entry.field]}: {what}")

    def _unknown(self, entries: list[Located]) -> None:
        """Saved all the same (a new member may be in the next release), but said, in case
        of a mistyped ID."""
        release = active_release()
        if release is None:
            return
        known = set(release.legislators.values_list("bioguide", flat=True))
        for located in entries:
            bioguide = located.entry.bioguide
            if bioguide not in known:
                known.add(bioguide)  # said once
                self.stdout.write(
                    f"  line {located.line}: {bioguide} is not in the active legislator "
                    "data; the entry is kept but used only once they are."
                )

    @transaction.atomic
    def _save(self, entries: list[Located], via: str) -> dict[str, int]:
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for located in entries:
            counts[overrides.save(located.entry, None, via)] += 1
        return counts


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{count} {what}" for what, count in counts.items())
