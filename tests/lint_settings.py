"""Settings for `make check`'s migration lint: the tests' settings, plus django-migration-linter.

A release migrates first and then replaces the running code (docs/operations.md), so every
migration must leave a database the release before it can still use: no dropped or renamed
column or table, no new NOT NULL column the old code would not fill. The linter reads the SQL
each migration runs on the database configured (SQLite, or PostgreSQL in CI's second pass) and
fails `make check` on anything else. It is a development tool, so production settings never
list it.
"""

from tests.settings import *  # noqa: F403
from tests.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django_migration_linter"]

MIGRATION_LINTER_OPTIONS = {
    # Urge's own apps: the packages' migrations are theirs to get right.
    "include_apps": [
        app.removeprefix("urge.") for app in INSTALLED_APPS if app.startswith("urge.")
    ],
    # A new app's first migration creates tables the running release never reads. (On SQLite
    # the linter also misreads the table rebuilds in them as NOT NULL columns.)
    "ignore_initial_migrations": True,
    # Written before Urge was ever deployed, when nothing older was running beside them.
    # Another migration on this list needs a reason as good, said here.
    "ignore_name": [
        # Adds Stance.origin NOT NULL with a default Django drops after filling the rows
        # (a field written today would use db_default, which keeps it in the database).
        "0002_stance_origin_stancechange",
        # Drops the rate-limit table when counting moved to memory and Redis.
        "0002_rate_counters_in_memory",
    ],
    "no_cache": True,
    "quiet": ["ok", "ignore"],
}

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # SQLite adds a column by rebuilding the table, and the linter reads every NOT NULL
    # column of the rebuilt table as new. These add a column with a default kept in the
    # database (db_default), which PostgreSQL's pass checks as written.
    MIGRATION_LINTER_OPTIONS["ignore_name"] += [  # type: ignore[operator]
        "0004_campaign_embed_origins",
        "0004_audit_roles_admin_refusals",
    ]
