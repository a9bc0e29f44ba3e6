"""`urge db_worker`: django-tasks-db's queue worker, with a lease on every running task.

The same command and options as the package's own (this app is listed first, so its command
of the same name is the one run), plus the check that puts back tasks whose worker died
(urge/core/lease.py): in a thread beside the worker's loop, or once, first, with --batch.
"""

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from urge.core.lease import LeaseKeeper, recover_lost_tasks


class Command(DatabaseWorkerCommand):
    help = (
        "Run the queue worker: it runs queued tasks (confirmation emails) until stopped. A "
        "task still running URGE_TASK_LEASE_SECONDS after its claim is taken to have lost "
        "its worker and is run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"]:
            recover_lost_tasks()
            super().handle(*args, **options)
            return
        keeper = LeaseKeeper()
        keeper.start()
        try:
            super().handle(*args, **options)
        finally:
            keeper.stop()
