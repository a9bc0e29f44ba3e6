"""The wheel as an operator installs it: built from this tree, installed into a virtualenv of its
own, and run from a folder that is not the source tree (issue 14, item 7).

The new virtualenv gets the wheel alone (`--no-deps`) and finds the locked dependencies through
a .pth line naming this virtualenv's site-packages. That line only adds the folder to the path:
the .pth files inside it, among them the editable install's, which would put the source tree on
the path, are not read. So `urge` here is the wheel's code, with its own templates, static files
and compiled translations, or it fails.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from tests.services import ROOT, free_port, production_environment, wait_for_http

Snapshot = dict[str, tuple[int, int]]
PIP = [sys.executable, "-m", "pip", "--quiet"]
SMALL = ["--workers=1", "--threads=2"]


@dataclass(frozen=True)
class Installed:
    urge: Path  # the virtualenv's console script
    site_packages: Path

    def run(self, cwd: Path, env: dict[str, str], *args: str) -> str:
        done = subprocess.run(
            [str(self.urge), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, f"urge {args[0]}:\n{done.stdout}{done.stderr}"
        return done.stdout

    def snapshot(self) -> Snapshot:
        """Every file and folder in site-packages, with its size and modification time."""
        return {
            str(path.relative_to(self.site_packages)): (
                path.stat().st_size,
                path.stat().st_mtime_ns,
            )
            for path in self.site_packages.rglob("*")
        }


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    folder = tmp_path_factory.mktemp("wheel")
    _build(folder / "dist")
    (wheel,) = (folder / "dist").glob("urge-*.whl")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [*PIP, "--python", str(python), "install", "--no-deps", "--no-index", str(wheel)],
        check=True,
        timeout=120,
    )
    site_packages = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    )
    locked = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site_packages / "locked-dependencies.pth").write_text("".join(f"{p}\n" for p in locked))
    return Installed(venv / "bin" / "urge", site_packages)


def _build(dist: Path) -> None:
    """`pip wheel` over this tree, offline: hatchling comes from this virtualenv."""
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(dist), str(ROOT)],
        check=True,
        timeout=120,
    )


def _environment(var_dir: Path | None, **settings: str) -> dict[str, str]:
    """Production settings, without anything that would lead Python to the source tree."""
    env = production_environment(var_dir or Path("unused"), **settings)
    env.pop("PYTHONPATH", None)
    if var_dir is None:
        del env["URGE_VAR_DIR"]
    return env


def test_the_installed_command_runs_the_wheels_code(installed: Installed, tmp_path: Path) -> None:
    where = installed.run(
        tmp_path, _environment(tmp_path / "var"), "shell", "-c", "import urge; print(urge.__file__)"
    )
    assert Path(where.strip().splitlines()[-1]).is_relative_to(installed.site_packages)


def test_the_installed_site_passes_the_deployment_checks_and_serves_both_languages(
    installed: Installed, tmp_path: Path
) -> None:
    before = installed.snapshot()
    var_dir = tmp_path / "var"
    env = _environment(
        var_dir,
        ALLOWED_HOSTS="127.0.0.1",
        URGE_HTTPS="false",
        URGE_PROXY_COUNT="0",
        URGE_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
    )
    deploy = {**env, "ALLOWED_HOSTS": "urge.example.org", "URGE_HTTPS": "true"}
    assert "no issues" in installed.run(
        tmp_path, deploy, "check", "--deploy", "--fail-level=WARNING"
    )
    installed.run(tmp_path, env, "migrate", "--verbosity=0")
    installed.run(tmp_path, env, "collectstatic", "--noinput", "--verbosity=0")

    with _serving(installed, tmp_path, env) as base_url:
        page = _fetch(f"{base_url}/zh-hant/")
        stylesheet = _fetch(f"{base_url}{_stylesheet(page)}")

    assert "暫時未有行動" in page  # "No campaign yet", from the compiled catalogue
    assert "--" in stylesheet  # the site's CSS, from the collected static files
    assert (var_dir / "urge.sqlite3").stat().st_size > 0
    assert (var_dir / "static" / "staticfiles.json").exists()
    assert installed.snapshot() == before, "something was written into site-packages"


def test_without_a_var_folder_set_it_writes_in_the_current_folder(
    installed: Installed, tmp_path: Path
) -> None:
    before = installed.snapshot()
    installed.run(tmp_path, _environment(None), "check")
    assert (tmp_path / "var" / "urge.sqlite3").exists()
    assert installed.snapshot() == before, "something was written into site-packages"


@contextmanager
def _serving(installed: Installed, cwd: Path, env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(installed.urge),
            "serve",
            "--skip-setup",
            "--no-queue-worker",
            *SMALL,
            f"--port={port}",
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for_http(f"{base_url}/healthz", server)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)


def _fetch(url: str) -> str:
    """The body of `url`, whatever its status (the home page with no campaign is a 404)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return str(response.read().decode())
    except urllib.error.HTTPError as error:
        return str(error.read().decode())


def _stylesheet(page: str) -> str:
    start = page.index('href="/static/core/urge.')
    return page[start + len('href="') : page.index('"', start + len('href="'))]


def test_building_the_wheel_leaves_no_compiled_catalogue_in_the_source_package(
    installed: Installed,
) -> None:
    # urge/settings.py reads urge/locale/ when it exists: in the tree, it would hide locale/.
    assert not (ROOT / "urge" / "locale").exists()
