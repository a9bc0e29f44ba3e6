"""`urge track`: read the campaigns' bills from Congress.gov and record cosponsors' stances
(a dry run unless --commit); `--add` and `--remove` choose which bills a campaign tracks."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from urge.bills.bill_ids import BillId
from urge.bills.congress import BillReport, CongressApi, CongressApiError
from urge.bills.models import TrackedBill
from urge.bills.tracking import Checked, campaigns_tracked, read_reports, store
from urge.campaigns.models import Campaign
from urge.core.joblock import running_alone
from urge.legislators.index import index_holder


class DryRun(Exception):
    """Raised inside the transaction of a dry run, so that everything it wrote is undone."""


class Command(BaseCommand):
    help = (
        "Read each tracked bill's latest action and cosponsors from the Congress.gov API "
        "($URGE_CONGRESS_API_KEY) and record a 'cosponsor' stance for every cosponsor a "
        "campaign targets, never over a stance recorded in the dashboard. Nothing is written "
        "unless --commit, nor when any answer fails. A --commit run while another holds the "
        "job's lock in the database (on any host) logs that and ends without doing anything. "
        "--campaign SLUG --add 119/hr/2661 chooses a bill to track; --remove stops tracking it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commit", action="store_true", help="Write what was read.")
        parser.add_argument(
            "--campaign", metavar="SLUG", help="The campaign to --add or --remove to."
        )
        parser.add_argument(
            "--add",
            action="append",
            default=[],
            metavar="CONGRESS/TYPE/NUMBER",
            help="Track this bill for --campaign (e.g. 119/hr/2661); may be repeated.",
        )
        parser.add_argument(
            "--remove",
            action="append",
            default=[],
            metavar="CONGRESS/TYPE/NUMBER",
            help="Stop tracking this bill for --campaign; may be repeated.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["add"] or options["remove"]:
            self._choose(options["campaign"], options["add"], options["remove"])
            return
        if options["campaign"]:
            raise CommandError("--campaign goes with --add or --remove.")
        self._track(options["commit"])

    def _choose(self, slug: str | None, add: list[str], remove: list[str]) -> None:
        if not slug:
            raise CommandError("Name the campaign: --campaign SLUG.")
        campaign = Campaign.objects.filter(slug=slug).first()
        if campaign is None:
            raise CommandError(f"There is no campaign {slug!r}; load it first with `urge load`.")
        try:
            adding = [BillId.parse(text) for text in add]
            removing = [BillId.parse(text) for text in remove]
        except ValueError as error:
            raise CommandError(str(error)) from None
        with transaction.atomic():
            position = campaign.tracked_bills.count()
            for bill in adding:
                _row, created = TrackedBill.objects.get_or_create(
                    campaign=campaign,
                    congress=bill.congress,
                    bill_type=bill.type,
                    number=bill.number,
                    defaults={"position": position},
                )
                position += created
                said = "Now tracking" if created else "Already tracking"
                self.stdout.write(f"{said} {bill.label} ({bill}) for {slug}.")
            for bill in removing:
                gone, _by_model = campaign.tracked_bills.filter(
                    congress=bill.congress, bill_type=bill.type, number=bill.number
                ).delete()
                said = "No longer tracking" if gone else "Was not tracking"
                self.stdout.write(f"{said} {bill.label} ({bill}) for {slug}.")
        self.stdout.write("Run `urge track --commit` to read the bills now.")

    def _track(self, commit: bool) -> None:
        key = settings.URGE_CONGRESS_API_KEY
        if not key:
            raise CommandError(
                "URGE_CONGRESS_API_KEY is not set: get a free key at api.data.gov and set it."
            )
        if not commit:
            self._read(key, commit)
            return
        # Once across hosts: every host's `urge serve` runs this each day (urge/core/joblock.py).
        with running_alone("track") as mine:
            if mine:
                self._read(key, commit)

    def _read(self, key: str, commit: bool) -> None:
        campaigns = campaigns_tracked()
        if not campaigns:
            self.stdout.write("No campaign tracks a bill: add one with --campaign SLUG --add.")
            return
        api = CongressApi(
            key, settings.URGE_CONGRESS_API_URL, float(settings.URGE_CONGRESS_API_TIMEOUT)
        )
        try:
            read = [(campaign, read_reports(api, campaign)) for campaign in campaigns]
        except CongressApiError as error:
            raise CommandError(f"{error}\nNothing was changed.") from None
        checked = self._store(read, commit)
        for result in checked:
            self._print(result)
        if not commit:
            self.stdout.write("Dry run: nothing was written. Run again with --commit to record it.")

    def _store(self, read: list[tuple[Campaign, list[BillReport]]], commit: bool) -> list[Checked]:
        now = timezone.now()
        index = index_holder.get()
        checked: list[Checked] = []
        try:
            with transaction.atomic():
                checked = [store(campaign, reports, index, now) for campaign, reports in read]
                if not commit:
                    raise DryRun
        except DryRun:
            pass
        return checked

    def _print(self, result: Checked) -> None:
        for report in result.reports:
            supporters = report.supporters()
            self.stdout.write(
                f"{result.campaign.slug}: {report.bill.label}, latest action on "
                f"{report.latest_action_date.isoformat()}: {report.latest_action_text} "
                f"({len(supporters)} legislator{'s' if len(supporters) != 1 else ''} "
                "sponsoring or cosponsoring it)"
            )
        counts = result.stances
        if counts is None:
            self.stdout.write(
                f"{result.campaign.slug}: no legislator data is active (run `urge sync "
                "--commit`), so no stance was recorded."
            )
            return
        self.stdout.write(
            f"{result.campaign.slug}: cosponsor stances {counts.created} created, "
            f"{counts.changed} changed, {counts.removed} removed; {counts.kept} recorded "
            f"in the dashboard and {counts.own_kinds} of the campaign's own kinds kept as "
            "they are."
        )
