"""The uncached public pages in process: queries and median time of each, without HTTP.

Renders the portal home, the tender list, search, tender pages and project pages through the
Django test client with the page cache off and DEBUG off, on the database in DATABASE_URL (data
from `manage.py generate_data`), and prints one JSON line: {page: [median ms, queries]}. To
compare two versions, run it from both checkouts in turn, alternating (docs/benchmarks.md,
"the uncached path"); with --profile PAGE it prints that page's cProfile instead.

    DATABASE_URL=postgresql://govbuy_ci:govbuy_ci@127.0.0.1:5432/govbuy_scale \\
      .venv/bin/python bench/uncached_pages.py --requests 15

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=15, help="timed requests per page")
    parser.add_argument("--profile", help="print this page's profile (e.g. 'tender list')")
    args = parser.parse_args()
    sys.path.insert(0, str(Path.cwd()))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.update({"GOVBUY_PAGE_CACHE_SECONDS": "0", "DJANGO_DEBUG": "0", "GOVBUY_LOG_LEVEL": "WARNING"})
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from govbuy.planning.models import Project
    from govbuy.procurement.models import Tender

    rng = random.Random(5)
    tenders = list(Tender.objects.exclude(published_at=None).values_list("pk", flat=True))
    projects = list(Project.objects.values_list("pk", flat=True))
    words = ["养老", "社区", "文化", "就业"]
    pages = {
        "portal home": lambda: "/",
        "tender list": lambda: f"/tenders/?page={rng.randint(1, 50)}",
        "search": lambda: "/search/?q=" + quote(rng.choice(words)),
        "tender page": lambda: f"/tenders/{rng.choice(tenders)}/",
        "project page": lambda: f"/projects/{rng.choice(projects)}/",
    }
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-Hans")
    out = {}
    for name, make in pages.items():
        client.get(make())
        with CaptureQueriesContext(connection) as captured:
            client.get(make())
        queries = len(captured)  # now: the next request empties the connection's query log
        if args.profile == name:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                client.get(make())
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
            return
        times = []
        for _ in range(args.requests):
            path = make()
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{path} answered {response.status_code}")
        out[name] = [round(statistics.median(times) * 1000, 1), queries]
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
