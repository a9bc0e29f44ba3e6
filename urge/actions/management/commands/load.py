"""`urge load PATH`: check a campaign folder and write it to the database.

In the actions app rather than in campaigns because the checks include the posts' lengths,
which need the action messages, and urge.campaigns does not import urge.actions.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from urge.actions.checks import post_length_problems
from urge.campaigns.checks import CAMPAIGN_FILE, FolderError
from urge.campaigns.folder import CampaignSpec, read_campaign_folder
from urge.campaigns.loading import save_campaign
from urge.campaigns.stances import kinds_kept_in_use
from urge.legislators.index import index_holder
from urge.sharing.preview import make_previews


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
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace the stances recorded in the dashboard with the folder's too.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        specs: list[CampaignSpec] = []
        problems: list[str] = []
        for path in options["paths"]:
            try:
                specs.append(read_campaign_folder(path))
            except FolderError as error:
                problems.extend(str(problem) for problem in error.problems)
                continue
            if not options["force"]:
                problems.extend(self._kinds_in_use(path, specs[-1]))
        problems.extend(self._post_lengths(specs))
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
            result = save_campaign(spec, force=options["force"])
            verb = "Created" if result.created else "Updated"
            self.stdout.write(
                f"{verb} campaign {spec.slug!r}: {len(spec.languages)} languages, "
                f"{len(spec.steps)} steps, {len(spec.sections)} sections, "
                f"{len(spec.cohosts)} co-hosts, {len(spec.messages)} message templates."
            )
            for warning in make_previews(result.campaign):
                self.stderr.write(f"Warning: {warning}")
            if result.stances_kept:
                self.stdout.write(
                    f"Kept {result.stances_kept} stance(s) recorded in the dashboard; "
                    "--force replaces them with the folder's."
                )

    def _kinds_in_use(self, path: Path, spec: CampaignSpec) -> list[str]:
        kinds = [kind.slug for kind in spec.stance_kinds]
        return [
            f"{path / CAMPAIGN_FILE}: stance_kinds: {stance!r} is no longer defined, but the "
            f"dashboard records it for {', '.join(bioguides)}: define it again, record their "
            "stances anew in the dashboard, or load with --force (the folder's stances then "
            "replace every stance recorded in the dashboard)"
            for stance, bioguides in kinds_kept_in_use(spec.slug, kinds).items()
        ]

    def _post_lengths(self, specs: list[CampaignSpec]) -> list[str]:
        # Lengths depend on the targets' names and handles: checked against the data loaded.
        index = index_holder.get()
        if index is None:
            if any(template.channel == "post" for spec in specs for template in spec.messages):
                self.stdout.write("Post lengths not checked: no legislator data is loaded yet.")
            return []
        return [
            f"{spec.slug}/{problem}"
            for spec in specs
            for problem in post_length_problems(spec, index, settings.URGE_SITE_URL)
        ]
