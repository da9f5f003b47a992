"""Benchmark the audit chain: append rate (1 and 4 threads) and verification rate.

Run against the configured database (SQLite by default, PostgreSQL with DATABASE_URL):

    .venv/bin/python bench/audit_chain.py --events 5000 --repeat 3

It creates a throwaway database (`test_` + name, like the test runner) and drops it after.
Prints medians of --repeat runs. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("GOVBUY_SQLITE_TEST_PATH", str(Path(__file__).resolve().parent.parent / "var" / "bench.sqlite3"))

import django

django.setup()

from django.db import connection, connections, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from govbuy.audit.models import AuditEvent, AuditHead  # noqa: E402
from govbuy.audit.services import record_event  # noqa: E402
from govbuy.audit.verify import verify_chain  # noqa: E402


def append(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            record_event(actor=None, action="bench.event.appended", object_type="bench", object_id=i, data={"i": i})


def append_threads(total: int, threads: int) -> None:
    per = total // threads

    def work() -> None:
        try:
            append(per)
        finally:
            connections.close_all()

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()


def reset() -> None:
    from govbuy.audit.management.commands.flush import Command as Flush  # the trigger-aware flush

    Flush().handle(
        interactive=False,
        database="default",
        verbosity=0,
        inhibit_post_migrate=True,
        allow_cascade=False,
        reset_sequences=True,
    )
    AuditHead.objects.all().delete()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    results: dict[str, list[float]] = {"append 1 thread": [], "append 4 threads": [], "verify": []}
    try:
        for _ in range(args.repeat):
            reset()
            start = time.perf_counter()
            append(args.events)
            results["append 1 thread"].append(args.events / (time.perf_counter() - start))
            reset()
            start = time.perf_counter()
            append_threads(args.events, 4)
            results["append 4 threads"].append(args.events / (time.perf_counter() - start))
            start = time.perf_counter()
            outcome = verify_chain()
            assert outcome.ok
            assert AuditEvent.objects.count() == args.events
            results["verify"].append(args.events / (time.perf_counter() - start))
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"database: {connection.vendor}, events per run: {args.events}, runs: {args.repeat}")
    for name, rates in results.items():
        runs = ", ".join(f"{r:.0f}" for r in rates)
        print(f"  {name:18s} median {statistics.median(rates):8.0f} events/s  (runs: {runs})")


if __name__ == "__main__":
    main()
