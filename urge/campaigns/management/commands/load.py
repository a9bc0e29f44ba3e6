"""`urge load PATH`: check a campaign folder and write it to the database."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from urge.campaigns.checks import FolderError
from urge.campaigns.folder import read_campaign_folder
from urge.campaigns.loading import save_campaign


class Command(BaseCommand):
    help = (
        "Check a campaign folder (campaign.yaml plus Markdown per language) and load it. "
        "Every problem is reported and nothing is written when there is any; loading the "
        "same folder again updates the campaign."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="Campaign folder.")
        parser.add_argument(
            "--check", action="store_true", help="Only check the folders; write nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        specs = []
        problems: list[str] = []
        for path in options["paths"]:
            try:
                specs.append(read_campaign_folder(path))
            except FolderError as error:
                problems.extend(str(problem) for problem in error.problems)
        if problems:
            for line in problems:
                self.stderr.write(line)
            raise CommandError(
                f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found; nothing loaded."
            )
        for spec in specs:
            if options["check"]:
                self.stdout.write(f"{spec.slug}: no problems found.")
                continue
            result = save_campaign(spec)
            verb = "Created" if result.created else "Updated"
            self.stdout.write(
                f"{verb} campaign {spec.slug!r}: {len(spec.languages)} languages, "
                f"{len(spec.steps)} steps, {len(spec.sections)} sections, "
                f"{len(spec.cohosts)} co-hosts."
            )
