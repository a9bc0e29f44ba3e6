"""In-process lookup speed and memory: `make bench-lookup` (needs URGE_DATA_DIR).

Builds the index from the official snapshot the way a worker does, then times
lookups over every ZIP the Postal Service knows, and prints the figures.
"""

import datetime
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
django.setup()

from urge.legislators.index import LookupIndex, postal_zips  # noqa: E402
from urge.legislators.lookup import ZipQuery, lookup, parse_query  # noqa: E402
from urge.legislators.sync import read_snapshot  # noqa: E402


def main() -> None:
    folder = Path(os.environ.get("URGE_DATA_DIR", ""))
    if not (folder / "congress-legislators").is_dir():
        sys.exit("Set URGE_DATA_DIR to the official snapshot (e.g. ../shared/data).")
    snapshot = read_snapshot(folder, lambda _: None)
    tracemalloc.start()
    started = time.perf_counter()
    postal = postal_zips()
    index = LookupIndex.build(1, datetime.date.today(), snapshot.legislators, snapshot.zips, postal)
    built = time.perf_counter() - started
    index_bytes, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    zips = sorted(postal)
    rounds = 5
    started = time.perf_counter()
    for _ in range(rounds):
        for zip5 in zips:
            lookup(index, ZipQuery(zip5))
    zip_seconds = time.perf_counter() - started
    typed = [f" {zip5}-1234 " for zip5 in zips]
    started = time.perf_counter()
    for text in typed:
        lookup(index, parse_query(text))
    typed_seconds = time.perf_counter() - started

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"ZIP codes known:              {len(zips):,} ({len(index.zips):,} ZCTAs)")
    print(f"index build:                  {built * 1000:,.0f} ms")
    print(f"index memory (traced):        {index_bytes / 1e6:,.1f} MB")
    print(f"process peak RSS:             {rss_mb:,.0f} MB")
    print(f"lookups by ZIP:               {rounds * len(zips) / zip_seconds:,.0f} per second")
    print(f"parse + lookup of typed text: {len(typed) / typed_seconds:,.0f} per second")


if __name__ == "__main__":
    main()
