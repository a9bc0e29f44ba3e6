"""`urge sync`: refresh legislator and ZIP-district data as a new release (dry run by default)."""

import sys
from collections import Counter
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from urge.legislators import overrides
from urge.legislators.gaps import by_chamber, seat_label, stale_overrides
from urge.legislators.handles import LABELS
from urge.legislators.index import index_holder
from urge.legislators.sync import (
    Snapshot,
    SyncError,
    active_release,
    commit_release,
    fetch_online,
    plan_release,
    read_snapshot,
    rollback_release,
)

# Kinds with more findings than this are summarised unless --verbosity 2.
LIST_AT_MOST = 10


class Command(BaseCommand):
    help = (
        "Read the official legislator and ZIP-district data (from --from DIR, else $URGE_DATA_DIR, "
        "else the public URLs), compare it with the active release and print a validation "
        "report. Nothing is written unless --commit: then the data is imported as a new release "
        "and activated when complete. --rollback returns to the previous release."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="folder", type=Path, help="Read the files from DIR.")
        parser.add_argument(
            "--online", action="store_true", help="Download even when URGE_DATA_DIR is set."
        )
        parser.add_argument("--commit", action="store_true", help="Import and activate.")
        parser.add_argument(
            "--rollback", action="store_true", help="Activate the previous release again."
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing when a release is already active (for first starts).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbosity = int(options["verbosity"])
        try:
            if options["rollback"]:
                self._rollback()
            elif options["if_missing"] and (active := active_release()) is not None:
                self.stdout.write(f"Legislator data release {active} is active; nothing to do.")
            else:
                self._sync(options)
        except SyncError as error:
            raise CommandError(f"{error}\nNothing was changed.") from None

    def _sync(self, options: dict[str, Any]) -> None:
        folder = self._folder(options)
        snapshot = read_snapshot(folder, self._say)
        plan = plan_release(snapshot)
        if self.verbosity >= 1:
            self._print_plan(snapshot, plan)
            self._print_report(snapshot)
            self._print_gaps(snapshot)
        if not options["commit"]:
            self.stdout.write(
                "Dry run: nothing was written. Run again with --commit to import and "
                "activate this release."
            )
            return
        release = commit_release(snapshot, self._say)
        index_holder.forget()
        if self.verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"Imported and activated release {release}."))

    def _folder(self, options: dict[str, Any]) -> Path:
        folder: Path | None = options["folder"]
        if folder is None and settings.URGE_DATA_DIR and not options["online"]:
            folder = Path(settings.URGE_DATA_DIR)
        if folder is not None:
            self._say(f"Reading legislator data from {folder}")
            return folder
        self._say("Downloading legislator data from the public sources")
        return fetch_online(Path(settings.VAR_DIR) / "downloads", self._progress, self._say)

    def _print_plan(self, snapshot: Snapshot, plan: Any) -> None:
        against = f"the active release {plan.active}" if plan.active else "no release (first sync)"
        write = self.stdout.write
        write(f"Compared with {against}:")
        write(
            f"  legislators: {len(plan.created)} to create, {len(plan.updated)} to update, "
            f"{len(plan.unchanged)} unchanged, {len(plan.retired)} to retire"
        )
        for label, names in (("create", plan.created), ("update", plan.updated)):
            if plan.active is not None:
                for name in names:
                    write(f"    {label}: {name}")
        for name in plan.retired:
            write(f"    retire: {name}")
        write(
            f"  ZIP districts: {plan.zips_total:,} rows "
            f"({plan.zips_added:,} added, {plan.zips_removed:,} removed)"
        )
        write(f"  committees: {len(snapshot.committees)}")

    def _print_report(self, snapshot: Snapshot) -> None:
        kinds = Counter(finding.kind for finding in snapshot.findings)
        summary = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        self.stdout.write(f"Validation report: {summary or 'no problems found'}")
        for kind, count in sorted(kinds.items()):
            found = [finding for finding in snapshot.findings if finding.kind == kind]
            if count > LIST_AT_MOST and self.verbosity < 2:
                examples = "; ".join(finding.subject for finding in found[:3])
                self.stdout.write(
                    f"  {kind}: {count} findings, e.g. {examples} "
                    "(all of them with --verbosity 2, and in the admin)"
                )
                continue
            for finding in found:
                self.stdout.write(f"  {kind}: {finding.subject}: {finding.message}")

    def _print_gaps(self, snapshot: Snapshot) -> None:
        """The contact details still missing with organisers' overrides applied, member by
        member where a post or an email needs them, so that someone can fill the gaps."""
        with translation.override(None):  # the labels in English, as the rest of the report
            self._write_gaps(snapshot)

    def _write_gaps(self, snapshot: Snapshot) -> None:
        found = overrides.current()
        write = self.stdout.write
        write(
            f"Contact details still missing ({len(found)} legislator(s) with organisers' "
            "additions; add more at /manage/contacts/ or with `urge overrides load FILE`):"
        )
        for chamber in by_chamber(snapshot.legislators, found):
            counts = ", ".join(
                f"{LABELS[field]} {count}" for field, count in chamber.counts.items()
            )
            write(f"  {chamber.chamber.title()} ({chamber.members} members), missing: {counts}")
            # Nearly every House member lacks a contact form in the official data.
            many = chamber.chamber == "house" and len(chamber.listed) > LIST_AT_MOST
            if many and self.verbosity < 2:
                write(f"    {len(chamber.listed)} members, listed with --verbosity 2")
                continue
            for entry in chamber.listed:
                member = entry.member
                lacking = ", ".join(f"no {LABELS[field]}" for field in entry.essential)
                write(f"    {member.bioguide} {member.name} ({seat_label(member)}): {lacking}")
        absent, same = stale_overrides(snapshot.legislators, found)
        if absent:
            write(f"  Overrides for members not in this data: {', '.join(absent)}")
        if same:
            write(f"  Overrides the official data now matches (remove them?): {', '.join(same)}")

    def _rollback(self) -> None:
        now_active, left = rollback_release()
        index_holder.forget()
        self.stdout.write(
            self.style.SUCCESS(f"Rolled back: release {now_active} is active again ({left} kept).")
        )

    def _say(self, message: str) -> None:
        if self.verbosity >= 1:
            self.stderr.write(message)

    def _progress(self, name: str, done: int, total: int | None) -> None:
        # One updating line on a terminal; quiet otherwise (the per-file summary follows).
        if not sys.stderr.isatty():
            return
        of = f" of {total / 1e6:.1f} MB" if total else ""
        sys.stderr.write(f"\r  {name}: {done / 1e6:.1f} MB{of}   ")
        if total and done >= total:
            sys.stderr.write("\n")
