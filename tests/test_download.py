"""Downloading data files into the cache, against a real local server."""

from __future__ import annotations

import json
from collections.abc import Iterator
from email.utils import formatdate
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import pytest

from tests.httpserver import LocalServer
from urge.legislators.download import SOURCES, DownloadFailed, download

ETAG = '"5f3a-61c9ce6a"'
LAST_MODIFIED = formatdate(1_781_000_000, usegmt=True)
OLD = b'[{"id": {"bioguide": "A000001"}}]\n'
NEW = b'[{"id": {"bioguide": "B000002"}}]\n'


@pytest.fixture
def server() -> Iterator[LocalServer]:
    with LocalServer() as running:
        yield running


def publish(
    server: LocalServer,
    body: bytes,
    etag: str = ETAG,
    *,
    delay: float = 0.0,
    delay_after: int | None = None,
) -> str:
    return server.serve(
        "/congress-legislators/legislators-current.json",
        body,
        headers={"ETag": etag, "Last-Modified": LAST_MODIFIED, "Content-Type": "application/json"},
        delay=delay,
        delay_after=delay_after,
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in the folder with its bytes, leftovers included."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_it_writes_the_file_and_its_validators_on_first_download(
    server: LocalServer, tmp_path: Path
) -> None:
    url = publish(server, OLD)

    result = download(url, tmp_path)

    assert result.changed is True
    assert result.url == url
    assert result.path == tmp_path / "legislators-current.json"
    assert result.path.read_bytes() == OLD
    meta = json.loads((tmp_path / "legislators-current.json.meta.json").read_text())
    assert meta == {"url": url, "etag": ETAG, "last_modified": LAST_MODIFIED}
    assert sorted(snapshot(tmp_path)) == [
        "legislators-current.json",
        "legislators-current.json.meta.json",
    ]


def test_it_keeps_the_cached_copy_when_the_server_says_not_modified(
    server: LocalServer, tmp_path: Path
) -> None:
    url = publish(server, OLD)
    download(url, tmp_path)
    before = snapshot(tmp_path)

    result = download(url, tmp_path)

    assert result.changed is False
    assert result.path == tmp_path / "legislators-current.json"
    assert snapshot(tmp_path) == before
    first, second = server.requests
    assert "if-none-match" not in first.headers
    assert second.headers["if-none-match"] == ETAG
    assert second.headers["if-modified-since"] == LAST_MODIFIED


def test_it_replaces_the_cached_copy_when_the_file_changed(
    server: LocalServer, tmp_path: Path
) -> None:
    url = publish(server, OLD)
    download(url, tmp_path)
    publish(server, NEW, etag='"7b21-0a9f"')

    result = download(url, tmp_path)

    assert result.changed is True
    assert result.path.read_bytes() == NEW
    meta = json.loads((tmp_path / "legislators-current.json.meta.json").read_text())
    assert meta["etag"] == '"7b21-0a9f"'


def test_it_downloads_again_when_the_cached_file_is_gone(
    server: LocalServer, tmp_path: Path
) -> None:
    url = publish(server, OLD)
    download(url, tmp_path)
    (tmp_path / "legislators-current.json").unlink()

    result = download(url, tmp_path)

    assert result.changed is True
    assert result.path.read_bytes() == OLD
    assert "if-none-match" not in server.requests[1].headers


def test_it_fails_on_a_server_error_and_leaves_the_old_copy_alone(
    server: LocalServer, tmp_path: Path
) -> None:
    url = publish(server, OLD)
    download(url, tmp_path)
    before = snapshot(tmp_path)
    server.serve(urlsplit(url).path, b"Internal Server Error", status=500)

    with pytest.raises(DownloadFailed) as caught:
        download(url, tmp_path)

    assert url in str(caught.value)
    assert "HTTP 500" in str(caught.value)
    assert snapshot(tmp_path) == before


def test_it_fails_when_the_server_does_not_answer_in_time(
    server: LocalServer, tmp_path: Path
) -> None:
    url = publish(server, OLD)
    download(url, tmp_path)
    before = snapshot(tmp_path)
    publish(server, NEW, etag='"changed"', delay=5.0)

    with pytest.raises(DownloadFailed) as caught:
        download(url, tmp_path, timeout=0.2)

    assert url in str(caught.value)
    assert "more than 0.2 seconds" in str(caught.value)
    assert snapshot(tmp_path) == before


def test_it_fails_when_the_body_stalls_partway_and_leaves_no_partial_file(
    server: LocalServer, tmp_path: Path
) -> None:
    url = publish(server, OLD)
    download(url, tmp_path)
    before = snapshot(tmp_path)
    publish(server, NEW * 1000, etag='"changed"', delay=5.0, delay_after=100)

    with pytest.raises(DownloadFailed, match=r"more than 0\.2 seconds after 100 bytes"):
        download(url, tmp_path, timeout=0.2)

    assert snapshot(tmp_path) == before


def test_it_fails_when_the_body_is_shorter_than_announced(
    server: LocalServer, tmp_path: Path
) -> None:
    url = publish(server, OLD)
    download(url, tmp_path)
    before = snapshot(tmp_path)
    server.serve(
        urlsplit(url).path, NEW, headers={"ETag": '"changed"', "Content-Length": str(len(NEW) * 2)}
    )

    with pytest.raises(DownloadFailed, match=f"closed after {len(NEW)} of {len(NEW) * 2} bytes"):
        download(url, tmp_path)

    assert snapshot(tmp_path) == before


def test_it_fails_when_nothing_listens(tmp_path: Path) -> None:
    with LocalServer() as stopped:
        url = stopped.url("/legislators-current.json")

    with pytest.raises(DownloadFailed, match="connection failed before it answered"):
        download(url, tmp_path)

    assert list(tmp_path.iterdir()) == []


def test_it_reports_progress_with_growing_counts_and_the_total(
    server: LocalServer, tmp_path: Path
) -> None:
    body = bytes(range(256)) * 1200  # several chunks
    url = publish(server, body)
    calls: list[tuple[str, int, int | None]] = []

    download(
        url, tmp_path, progress=lambda name, so_far, total: calls.append((name, so_far, total))
    )

    assert len(calls) > 1
    counts = [so_far for _, so_far, _ in calls]
    assert counts == sorted(set(counts))
    assert counts[-1] == len(body)
    assert {name for name, _, _ in calls} == {"legislators-current.json"}
    assert {total for _, _, total in calls} == {len(body)}


def test_it_refuses_an_address_that_names_no_file(tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed, match="usable file name"):
        download("https://unitedstates.github.io/congress-legislators/", tmp_path)


def test_it_names_each_source_after_the_file_at_its_address() -> None:
    assert set(SOURCES) == {
        "legislators-current.json",
        "legislators-social-media.json",
        "legislators-district-offices.json",
        "committees-current.json",
        "committee-membership-current.json",
        "tab20_cd11920_zcta520_natl.txt",
    }
    for name, url in SOURCES.items():
        assert url.startswith("https://")
        assert PurePosixPath(urlsplit(url).path).name == name
