"""`urge sync` online: downloads what changed upstream, and fails without changing anything."""

from pathlib import Path

import pytest

from tests.httpserver import LocalServer
from tests.test_sources import CENSUS
from urge.legislators.download import SOURCES
from urge.legislators.sync import SyncError, fetch_online, read_snapshot


def serve_sources(server: LocalServer, sample: Path) -> dict[str, str]:
    """Every upstream file, served the way the public hosts serve them (with an ETag)."""
    urls = {}
    for name in SOURCES:
        if name.endswith(".txt"):
            body = CENSUS.encode()
        else:
            body = (sample / "congress-legislators" / name).read_bytes()
        urls[name] = server.serve(f"/{name}", body, headers={"ETag": f'"{name}-v1"'})
    return urls


def test_it_downloads_every_source_and_reads_the_census_file(
    sample_data: Path, tmp_path: Path
) -> None:
    said: list[str] = []
    with LocalServer() as server:
        urls = serve_sources(server, sample_data)
        folder = fetch_online(tmp_path / "downloads", None, said.append, urls)
    snapshot = read_snapshot(folder, said.append)
    assert len(snapshot.legislators) == 22
    assert {"36507", "82001", "20001", "06001"} <= {row.zcta for row in snapshot.zips}
    assert any(row.land_share == 0.75 for row in snapshot.zips)
    assert "  legislators-current.json: downloaded" in said


def test_a_second_download_asks_only_for_what_changed(sample_data: Path, tmp_path: Path) -> None:
    said: list[str] = []
    with LocalServer() as server:
        urls = serve_sources(server, sample_data)
        fetch_online(tmp_path, None, said.append, urls)
        fetch_online(tmp_path, None, said.append, urls)
        conditional = [r for r in server.requests if "if-none-match" in r.headers]
    assert len(conditional) == len(SOURCES)
    assert "  legislators-current.json: not modified upstream" in said


def test_a_failed_download_raises_and_keeps_the_previous_files(
    sample_data: Path, tmp_path: Path
) -> None:
    with LocalServer() as server:
        urls = serve_sources(server, sample_data)
        fetch_online(tmp_path, None, lambda _: None, urls)
        before = (tmp_path / "legislators-current.json").read_bytes()
        server.serve("/legislators-current.json", b"oops", status=500)
        with pytest.raises(SyncError, match="HTTP 500"):
            fetch_online(tmp_path, None, lambda _: None, urls)
    assert (tmp_path / "legislators-current.json").read_bytes() == before
