"""The deployment kit (deploy/, the Dockerfile), checked as far as this machine can check it.

Containers may not run here, so the compose file is read as YAML and held to what
docs/operations.md promises: the roles apart, `urge migrate` run once by its own role and by no
other, every file, variable and command it names present. The systemd units go through
`systemd-analyze verify`, and nginx's compose variant of deploy/nginx/urge.conf is made by its
script and compared with the original line by line.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import get_commands

from tests.services import ROOT

DEPLOY = ROOT / "deploy"
APP_ROLES = ("migrate", "web", "worker", "scheduler")
SECRETS = (
    "SECRET_KEY",
    "URGE_HASH_KEY",
    "URGE_ENCRYPTION_KEYS",
    "DATABASE_URL",
    "REDIS_URL",
    "URGE_HOSTS",
    "URGE_KEY_DIR",
)
UNITS = sorted((DEPLOY / "systemd").glob("*.service"))
Service = dict[str, Any]


@pytest.fixture(scope="module")
def services() -> dict[str, Service]:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    found: dict[str, Service] = compose["services"]
    return found


def _interpolated(value: object) -> str:
    """A compose value with each ${NAME:-default} replaced by its default."""
    return re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(value))


def test_each_role_is_a_service_of_its_own(services: dict[str, Service]) -> None:
    assert set(services) == {*APP_ROLES, "postgres", "redis", "nginx"}
    assert int(_interpolated(services["web"]["deploy"]["replicas"])) > 1
    assert services["scheduler"]["deploy"]["replicas"] == 1
    assert services["scheduler"]["command"] == ["urge", "schedule"]


def test_only_the_migrate_role_migrates_and_every_other_role_waits_for_it(
    services: dict[str, Service],
) -> None:
    assert services["migrate"]["command"][:2] == ["urge", "migrate"]
    assert services["migrate"]["restart"] == "no"
    web = services["web"]["command"]
    assert "--skip-setup" in web
    assert "--no-queue-worker" in web
    for role in ("web", "worker", "scheduler"):
        assert "migrate" not in services[role]["command"]
        waits = services[role]["depends_on"]["migrate"]
        assert waits == {"condition": "service_completed_successfully"}


def test_every_command_the_kit_runs_is_an_urge_command(services: dict[str, Service]) -> None:
    named = {services[role]["command"][1] for role in APP_ROLES}
    for unit in UNITS:
        named |= set(re.findall(r"/opt/urge/bin/urge (\w+)", unit.read_text()))
    assert named <= set(get_commands())


def test_every_file_and_variable_the_compose_file_names_exists(
    services: dict[str, Service],
) -> None:
    text = (DEPLOY / "compose.yaml").read_text()
    filled_in = set(re.findall(r"\$\{(\w+)", text))
    assert filled_in <= _variables(DEPLOY / "compose.env.example")
    for role in APP_ROLES:
        service = services[role]
        assert (DEPLOY / service["build"]["context"] / service["build"]["dockerfile"]).exists()
        assert (DEPLOY / f"{service['env_file']}.example").exists()
    for mount in services["nginx"]["volumes"]:
        source = mount.split(":")[0]
        if source.startswith("./"):
            assert (DEPLOY / source).exists(), source
    compose = yaml.safe_load(text)
    for service in compose["services"].values():
        for mount in service.get("volumes", []):
            source = mount.split(":")[0]
            if not source.startswith(("/", ".")):
                assert source in compose["volumes"], source
        assert set(service.get("networks", [])) <= set(compose["networks"])


def test_the_example_settings_list_the_secrets_and_only_settings_urge_reads() -> None:
    listed = _variables(DEPLOY / "urge.env.example")
    assert set(SECRETS) <= listed
    settings = (ROOT / "urge" / "settings.py").read_text()
    for name in listed:
        assert f'"{name}"' in settings, f"{name} is no setting of urge/settings.py"


def _variables(example: Path) -> set[str]:
    return {
        line.split("=", 1)[0]
        for line in example.read_text().splitlines()
        if line and not line.startswith("#")
    }


def test_the_image_installs_the_locked_dependencies_and_serves_as_a_user_without_migrating() -> (
    None
):
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "FROM ${PYTHON_IMAGE}" in dockerfile
    assert "ARG PYTHON_IMAGE=python:3.11-slim" in dockerfile
    assert "--require-hashes" in dockerfile
    assert "USER urge" in dockerfile
    cmd = dockerfile.split("\nCMD ", 1)[1]
    assert "--skip-setup" in cmd
    assert "migrate" not in cmd
    allowed = (ROOT / ".dockerignore").read_text()
    for line in dockerfile.splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            for source in line.split()[1:-1]:
                assert (ROOT / source).exists(), source
                assert f"!{source.rstrip('/')}" in allowed.replace("/\n", "\n"), source


def test_nginx_in_compose_runs_urge_conf_with_the_replicas_as_its_upstream(
    tmp_path: Path,
) -> None:
    target = tmp_path / "default.conf"
    subprocess.run(
        ["sh", str(DEPLOY / "nginx" / "compose.sh")],
        env={
            "PATH": "/usr/bin:/bin",
            "URGE_DOMAIN": "act.example.net",
            "URGE_CONF_SOURCE": str(DEPLOY / "nginx" / "urge.conf"),
            "URGE_CONF_TARGET": str(target),
        },
        check=True,
    )
    original = (DEPLOY / "nginx" / "urge.conf").read_text().splitlines()
    made = target.read_text().splitlines()
    assert made[0] == "resolver 127.0.0.11 valid=10s ipv6=off;"
    upstream = original.index("upstream urge_hosts {")
    assert made[upstream + 2 : upstream + 4] == [
        "    zone urge_hosts 64k;",
        "    server web:8000 resolve;",
    ]
    # Everything else is urge.conf itself, with the site's name.
    rest = made[1 : upstream + 2] + made[upstream + 4 :]
    expected = original[: upstream + 1] + original[upstream + 2 :]
    assert rest == [line.replace("urge.example.org", "act.example.net") for line in expected]


@pytest.mark.parametrize("unit", UNITS, ids=[unit.name for unit in UNITS])
def test_each_systemd_unit_is_hardened(unit: Path) -> None:
    text = unit.read_text()
    for setting in (
        "User=urge",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "PrivateTmp=yes",
        "ReadWritePaths=/srv/urge/keys",
        "StateDirectory=urge",
        "Environment=URGE_VAR_DIR=/var/lib/urge",
    ):
        assert f"\n{setting}" in text, f"{unit.name} lacks {setting}"


def test_the_web_unit_serves_without_migrating_and_migrating_is_a_oneshot() -> None:
    web = (DEPLOY / "systemd" / "urge-web.service").read_text()
    serve = next(line for line in web.splitlines() if line.startswith("ExecStart="))
    assert "--skip-setup" in serve
    assert "--no-queue-worker" in serve
    assert "urge migrate" not in web
    migrate = (DEPLOY / "systemd" / "urge-migrate.service").read_text()
    assert "Type=oneshot" in migrate
    assert "ExecStart=/opt/urge/bin/urge migrate" in migrate


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze is missing")
def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    # As installed, with this checkout's `urge` where the units expect /opt/urge's.
    urge = Path(sys.executable).with_name("urge")
    for unit in UNITS:
        text = unit.read_text().replace("/opt/urge/bin/urge", str(urge))
        (tmp_path / unit.name).write_text(text)
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", *(str(tmp_path / u.name) for u in UNITS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == "", done.stderr


def test_the_migration_lint_fails_a_migration_the_running_release_would_not_survive(
    tmp_path: Path,
) -> None:
    """`make check` runs the lint with tests/lint_settings.py; here one more app is linted
    with it, whose second migration drops a column and adds a NOT NULL one."""
    app = tmp_path / "rolling" / "migrations"
    app.mkdir(parents=True)
    (app.parent / "__init__.py").write_text("")
    (app / "__init__.py").write_text("")
    (app / "0001_initial.py").write_text(ROLLING_INITIAL)
    (app / "0002_breaking.py").write_text(ROLLING_BREAKING)
    (tmp_path / "rolling_settings.py").write_text(
        "from tests.lint_settings import *  # noqa: F403\n"
        "from tests.lint_settings import INSTALLED_APPS, MIGRATION_LINTER_OPTIONS\n"
        'INSTALLED_APPS = [*INSTALLED_APPS, "rolling"]\n'
        'MIGRATION_LINTER_OPTIONS["include_apps"] = ["rolling"]\n'
    )
    done = subprocess.run(
        [sys.executable, "-m", "urge.cli", "lintmigrations"],
        cwd=ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "rolling_settings",
            "LOG_LEVEL": "WARNING",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "(rolling, 0002_breaking)... ERR" in done.stdout
    assert "DROPPING columns" in done.stdout
    assert "NOT NULL constraint" in done.stdout


ROLLING_INITIAL = """
from django.db import migrations, models

class Migration(migrations.Migration):
    initial = True
    operations = [
        migrations.CreateModel(
            name="Thing",
            fields=[
                ("id", models.BigAutoField(primary_key=True)),
                ("old", models.CharField(max_length=5, null=True)),
            ],
        ),
    ]
"""
ROLLING_BREAKING = """
from django.db import migrations, models

class Migration(migrations.Migration):
    dependencies = [("rolling", "0001_initial")]
    operations = [
        migrations.RemoveField(model_name="thing", name="old"),
        migrations.AddField(
            model_name="thing", name="new", field=models.CharField(max_length=5, default="x")
        ),
    ]
"""
