"""Downloading Urge's public data files into a local cache, fetching again only when they change."""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPException, HTTPResponse
from pathlib import Path
from typing import IO
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request, urlopen

_LEGISLATORS = "https://unitedstates.github.io/congress-legislators/"

# Local file name -> public URL.
SOURCES: dict[str, str] = {
    "legislators-current.json": _LEGISLATORS + "legislators-current.json",
    "legislators-social-media.json": _LEGISLATORS + "legislators-social-media.json",
    "legislators-district-offices.json": _LEGISLATORS + "legislators-district-offices.json",
    "committees-current.json": _LEGISLATORS + "committees-current.json",
    "committee-membership-current.json": _LEGISLATORS + "committee-membership-current.json",
    "tab20_cd11920_zcta520_natl.txt": (
        "https://www2.census.gov/geo/docs/maps-data/data/rel2020/cd-sld/"
        "tab20_cd11920_zcta520_natl.txt"
    ),
}

# Names the software only: nothing that could tell a data host which site is asking.
USER_AGENT = "Urge (+https://github.com/)"
CHUNK_SIZE = 64 * 1024
META_SUFFIX = ".meta.json"
# The file name comes from the URL; this keeps it from reaching outside the cache folder.
_SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

ProgressCallback = Callable[[str, int, int | None], None]  # (file name, bytes so far, total)


@dataclass(frozen=True)
class Downloaded:
    path: Path  # where the file now is, in the cache folder
    changed: bool  # False when the server said the cached copy is current
    url: str


class DownloadFailed(Exception):
    """A download did not complete; the message names the URL and what went wrong."""


def download(
    url: str,
    cache_dir: Path,
    *,
    timeout: float = 30.0,
    progress: ProgressCallback | None = None,
) -> Downloaded:
    """Bring the cached copy of `url` up to date, leaving the old copy in place on any failure.

    `timeout` is the longest wait, in seconds, for the connection or for each part of the body.
    """
    name = _file_name(url)
    target = cache_dir / name
    sidecar = cache_dir / (name + META_SUFFIX)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _not_saved(url, cache_dir, error) from error

    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
    # Validators are only worth sending while the file they describe is still there:
    # a 304 with nothing cached would leave the caller with no file at all.
    if target.is_file():
        etag, last_modified = _read_validators(sidecar, url)
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified

    # The scheme was checked in _file_name: only http and https reach here.
    request = Request(url, headers=headers)  # noqa: S310
    try:
        response: HTTPResponse = urlopen(request, timeout=timeout)  # noqa: S310
    except HTTPError as error:
        error.close()
        if error.code == 304 and target.is_file():
            return Downloaded(path=target, changed=False, url=url)
        raise DownloadFailed(
            f"Could not download {url}: the server answered HTTP {error.code} {error.reason}."
        ) from error
    except (OSError, HTTPException) as error:
        raise _network_failure(url, timeout, error, "before it answered") from error

    with response:
        status = response.status
        if status != 200:
            raise DownloadFailed(
                f"Could not download {url}: the server answered HTTP {status} instead of the file."
            )
        total = _content_length(response.headers.get("Content-Length"))
        _save(response, target, url=url, timeout=timeout, total=total, progress=progress)
        etag = response.headers.get("ETag")
        last_modified = response.headers.get("Last-Modified")
    # The file is complete and in place by now, so failing to record its validators is no reason
    # to report a failed download: any old validators left behind no longer match the server's
    # copy, and the next run simply downloads in full.
    meta = {"url": url, "etag": etag, "last_modified": last_modified}
    with contextlib.suppress(OSError):
        _write_atomically(sidecar, json.dumps(meta, indent=2).encode())
    return Downloaded(path=target, changed=True, url=url)


def _file_name(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise DownloadFailed(f"Could not download {url}: only http and https addresses are used.")
    # Split by hand: PurePosixPath would take "folder/" to mean the file "folder".
    name = parts.path.rsplit("/", 1)[-1]
    if not _SAFE_NAME.fullmatch(name) or name.endswith(META_SUFFIX):
        raise DownloadFailed(f"Could not download {url}: it does not end in a usable file name.")
    return name


def _read_validators(sidecar: Path, url: str) -> tuple[str | None, str | None]:
    # A missing or damaged sidecar only costs a full download, so it is never an error.
    try:
        meta = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None, None
    if not isinstance(meta, dict) or meta.get("url") != url:
        return None, None
    etag = meta.get("etag")
    last_modified = meta.get("last_modified")
    return (
        etag if isinstance(etag, str) else None,
        last_modified if isinstance(last_modified, str) else None,
    )


def _content_length(value: str | None) -> int | None:
    if value is None or not value.strip().isdigit():
        return None
    return int(value.strip())


def _save(
    response: HTTPResponse,
    target: Path,
    *,
    url: str,
    timeout: float,
    total: int | None,
    progress: ProgressCallback | None,
) -> None:
    # The body goes to a temporary file beside the target and is renamed over it only once
    # complete, so a reader never sees half a file and a failure leaves the old copy as it was.
    try:
        handle, temporary_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as error:
        raise _not_saved(url, target.parent, error) from error
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as out:
            received = _copy(
                response, out, target, url=url, timeout=timeout, total=total, progress=progress
            )
            if total is not None and received != total:
                raise DownloadFailed(
                    f"Could not download {url}: the connection closed after {received:,} "
                    f"of {total:,} bytes."
                )
            _sync(out, url, target.parent)
        try:
            os.replace(temporary, target)
        except OSError as error:
            raise _not_saved(url, target.parent, error) from error
    except BaseException:
        # Also on KeyboardInterrupt: an interrupted download leaves no partial file behind.
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def _copy(
    response: HTTPResponse,
    out: IO[bytes],
    target: Path,
    *,
    url: str,
    timeout: float,
    total: int | None,
    progress: ProgressCallback | None,
) -> int:
    received = 0
    while True:
        try:
            # read1 hands over what has arrived instead of waiting for a full chunk, so progress
            # moves as data comes in.
            chunk = response.read1(CHUNK_SIZE)
        except (OSError, HTTPException) as error:
            raise _network_failure(url, timeout, error, f"after {received:,} bytes") from error
        if not chunk:
            return received
        try:
            out.write(chunk)
        except OSError as error:
            raise _not_saved(url, target.parent, error) from error
        received += len(chunk)
        if progress is not None:
            progress(target.name, received, total)


def _sync(out: IO[bytes], url: str, folder: Path) -> None:
    # Flushed to disk before the rename, so a power cut cannot leave an empty file in place.
    try:
        out.flush()
        os.fsync(out.fileno())
    except OSError as error:
        raise _not_saved(url, folder, error) from error


def _write_atomically(path: Path, data: bytes) -> None:
    handle, temporary_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".part"
    )
    temporary = Path(temporary_name)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def _network_failure(url: str, timeout: float, error: BaseException, when: str) -> DownloadFailed:
    reason = error.reason if isinstance(error, URLError) else error
    if isinstance(reason, TimeoutError):
        return DownloadFailed(
            f"Could not download {url}: the server went quiet for more than {timeout:g} seconds "
            f"{when}."
        )
    detail = str(reason) or type(reason).__name__
    return DownloadFailed(f"Could not download {url}: the connection failed {when} ({detail}).")


def _not_saved(url: str, folder: Path, error: OSError) -> DownloadFailed:
    return DownloadFailed(
        f"Could not download {url}: it could not be saved in {folder} ({error.strerror or error})."
    )
