"""Bulk export (releases/s, peak memory) and record compilation against `ocdskit compile`.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govbuy_bench \\
      .venv/bin/python bench/export_compile.py --rounds 3 --sample 20000

Export: `manage.py ocds_export DIR` of every release in the database, --rounds times; wall
time, peak RSS (/usr/bin/time's maximum resident set size) and the RSS sampled every 0.2 s
during the run (flat memory means the samples do not grow with the releases written). A bare
`manage.py check` gives the RSS of a process that only loaded Django and the project.

Compilation: a release package of whole contracting processes (random ocids until --sample
releases), compiled by `manage.py ocds_compile FILE` and by `ocdskit compile --package
--versioned` with the same (patched) release schema, --rounds times each; the two outputs are
compared record by record (compiledRelease, versionedRelease, the release ids), numbers
compared as exact decimals. Both times include the process start (Django's, Python's).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = [PYTHON, "manage.py"]


def timed(argv: list[str], *, stdin_path: Path | None = None, stdout_path: Path | None = None) -> dict:
    """Run under /usr/bin/time -v, sampling the child's RSS from /proc while it runs."""
    stdin = stdin_path.open("rb") if stdin_path else subprocess.DEVNULL
    stdout = stdout_path.open("wb") if stdout_path else subprocess.PIPE
    start = time.perf_counter()
    process = subprocess.Popen(  # nosec B603  # fixed argv
        ["/usr/bin/time", "-v", *argv], cwd=ROOT, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE
    )
    samples: list[int] = []

    def sample() -> None:
        while process.poll() is None:
            try:
                children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
                for child in children:
                    status = Path(f"/proc/{child}/status").read_text()
                    match = re.search(r"VmRSS:\s+(\d+) kB", status)
                    if match:
                        samples.append(int(match.group(1)))
            except OSError:
                pass
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, err = process.communicate()
    sampler.join()
    elapsed = time.perf_counter() - start
    if process.returncode:
        raise SystemExit(f"{argv} failed: {err.decode()[-2000:]}")
    peak = int(re.search(rb"Maximum resident set size \(kbytes\): (\d+)", err).group(1))
    return {"seconds": elapsed, "peak_mb": peak / 1024, "samples_mb": [s / 1024 for s in samples], "stdout": out}


def bench_export(rounds: int, level: int) -> dict:
    baseline = timed([*MANAGE, "check"])["peak_mb"]
    runs = []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="govbuy-export-") as directory:
            result = timed([*MANAGE, "ocds_export", directory, "--compress-level", str(level)])
            count = int(result["stdout"].split()[0])
            size = sum(p.stat().st_size for p in Path(directory).iterdir())
        samples = result["samples_mb"]
        tenth = samples[len(samples) // 10] if samples else 0
        runs.append(
            {
                "releases": count,
                "seconds": result["seconds"],
                "releases_per_s": count / result["seconds"],
                "peak_mb": result["peak_mb"],
                "rss_at_10pct_mb": tenth,
                "rss_at_90pct_mb": samples[len(samples) * 9 // 10] if samples else 0,
                "bytes": size,
            }
        )
        print(f"export: {json.dumps(runs[-1])}", flush=True)
    return {"baseline_mb": baseline, "runs": runs}


def sample_package(size: int, directory: Path) -> tuple[Path, Path, int]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from govbuy.disclosure import ocds, packages, schema
    from govbuy.disclosure.models import Release

    rng = random.Random(2026)
    ocids = list(Release.objects.values_list("ocid", flat=True).distinct().order_by("ocid"))
    rng.shuffle(ocids)
    chosen: list[str] = []
    documents: list[str] = []
    for ocid in ocids:
        rows = list(Release.objects.filter(ocid=ocid).order_by("seq").values_list("document", flat=True))
        chosen.append(ocid)
        documents.extend(rows)
        if len(documents) >= size:
            break
    meta = ocds.package_metadata(uri=ocds.public_url("/ocds/releases"), published_date="2026-01-01T00:00:00Z")
    package = directory / "package.json"
    package.write_text(packages.release_package_text(meta, documents), encoding="utf-8")
    schema_path = directory / "release-schema-patched.json"
    schema_path.write_text(json.dumps(schema.patched_release_schema(), ensure_ascii=False), encoding="utf-8")
    return package, schema_path, len(documents)


def compare(ours_path: Path, theirs_path: Path) -> tuple[int, list[str]]:
    ours = json.loads(ours_path.read_text(encoding="utf-8"), parse_float=Decimal)["records"]
    theirs = json.loads(theirs_path.read_text(encoding="utf-8"), parse_float=Decimal)["records"]
    problems = []
    if [r["ocid"] for r in ours] != [r["ocid"] for r in theirs]:
        problems.append("the records' ocids differ (or their order)")
    for mine, other in zip(ours, theirs, strict=False):
        for key in ("compiledRelease", "versionedRelease"):
            if mine[key] != other[key]:
                problems.append(f"{mine['ocid']}: {key} differs")
        if sorted(r["id"] for r in mine["releases"]) != sorted(str(r["id"]) for r in other["releases"]):
            problems.append(f"{mine['ocid']}: releases differ")
    return len(ours), problems


def bench_compile(rounds: int, size: int) -> dict:
    ocdskit = shutil.which("ocdskit", path=str(Path(PYTHON).parent)) or "ocdskit"
    with tempfile.TemporaryDirectory(prefix="govbuy-compile-") as name:
        directory = Path(name)
        package, schema_path, count = sample_package(size, directory)
        ours_out, theirs_out = directory / "ours.json", directory / "theirs.json"
        ours, theirs = [], []
        for _ in range(rounds):
            ours.append(timed([*MANAGE, "ocds_compile", str(package), "--output", str(ours_out)])["seconds"])
            print(f"ocds_compile: {ours[-1]:.2f}s", flush=True)
            theirs.append(
                timed(
                    [ocdskit, "compile", "--package", "--versioned", "--schema", str(schema_path)],
                    stdin_path=package,
                    stdout_path=theirs_out,
                )["seconds"]
            )
            print(f"ocdskit compile: {theirs[-1]:.2f}s", flush=True)
        records, problems = compare(ours_out, theirs_out)
    return {"releases": count, "records": records, "ours_s": ours, "ocdskit_s": theirs, "problems": problems}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sample", type=int, default=20000, help="releases to compile")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--compress-level", type=int, default=4, help="passed to ocds_export")
    parser.add_argument("--skip-compile", action="store_true")
    parser.add_argument("--json", help="write the raw results here")
    args = parser.parse_args()
    results: dict = {}
    if not args.skip_export:
        results["export"] = export = bench_export(args.rounds, args.compress_level)
        runs = export["runs"]
        print(
            f"export: {runs[0]['releases']} releases, median {statistics.median(r['releases_per_s'] for r in runs):.0f}"
            f" releases/s, {statistics.median(r['seconds'] for r in runs):.1f} s; peak RSS"
            f" {statistics.median(r['peak_mb'] for r in runs):.0f} MB (RSS at 10% / 90% of the run:"
            f" {statistics.median(r['rss_at_10pct_mb'] for r in runs):.0f} /"
            f" {statistics.median(r['rss_at_90pct_mb'] for r in runs):.0f} MB; `manage.py check` alone:"
            f" {export['baseline_mb']:.0f} MB)"
        )
    if not args.skip_compile:
        results["compile"] = comp = bench_compile(args.rounds, args.sample)
        ours, theirs = statistics.median(comp["ours_s"]), statistics.median(comp["ocdskit_s"])
        print(
            f"compile: {comp['releases']} releases, {comp['records']} records; ocds_compile {ours:.2f} s"
            f" ({comp['releases'] / ours:.0f} releases/s), ocdskit compile {theirs:.2f} s"
            f" ({comp['releases'] / theirs:.0f} releases/s): {theirs / ours:.1f}x;"
            f" outputs {'identical' if not comp['problems'] else 'DIFFER: ' + '; '.join(comp['problems'][:5])}"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
