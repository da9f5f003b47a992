"""Latency and throughput of the public pages against the framework ceiling, side by side.

Starts gunicorn with production settings (DJANGO_ENV=production, DEBUG off, the same env as
`make check`'s --deploy run, except that TLS is assumed to end at a proxy in front) on the
database in DATABASE_URL, with bench/settings.py so that /bench/ceiling — the smallest Django
JSON view, behind the same middleware — is served by the same server. Then `wrk` (C, with a Lua
script for p50/p95) hits each endpoint at --connections for --seconds, the endpoints taking turns
within each round, --rounds times; the medians are printed, and the rounds as JSON with --json.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govbuy_bench \\
      .venv/bin/python bench/http_latency.py --connections 16 --seconds 10 --rounds 3

With --compare-cache, two identical servers run side by side, one with the public page cache
(govbuy.core.pagecache; in Redis when --redis-url is given) and one without it
(GOVBUY_PAGE_CACHE_SECONDS=0), and every endpoint is measured on both within each round:
"tender page" and "tender page (uncached)". The ceiling is measured on the cached server.

Needs `wrk` (apt-get install wrk) and data from `manage.py generate_data` (then
`manage.py refresh_statistics` for the statistics endpoints). Not part of the test
suite. wrk and gunicorn share the machine: on a 2-core box the load generator takes part of
the CPU the server would otherwise have (both sides of the comparison pay it alike).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
LUA = """
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1], {["Accept-Language"] = "zh-Hans"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.stderr:write(string.format("BENCH %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), e.connect + e.read + e.write + e.status, e.timeout))
end
"""


def server_env(port: int, *, page_cache: bool = True, redis_url: str = "") -> dict[str, str]:
    env = dict(os.environ)
    if not page_cache:
        env["GOVBUY_PAGE_CACHE_SECONDS"] = "0"
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_ENV": "production",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(48),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_AUDIT_KEY": "bench-only",
            "GOVBUY_BID_KEK": base64.b64encode(secrets.token_bytes(32)).decode(),
            # TLS ends at the proxy in production; here plain HTTP reaches gunicorn directly.
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "GOVBUY_LOG_LEVEL": "WARNING",
            "GOVBUY_PUBLIC_URL": f"http://127.0.0.1:{port}",
        }
    )
    return env


def sample_paths(limit: int = 2000) -> dict[str, list[str]]:
    """Which URLs each endpoint is hit with: random existing objects (same seed every run)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.urls import NoReverseMatch, reverse

    from govbuy.disclosure.models import FeedHead, Release
    from govbuy.planning.models import Project
    from govbuy.procurement.models import Tender

    rng = random.Random(2026)
    tenders = list(Tender.objects.exclude(published_at=None).values_list("pk", flat=True))
    projects = list(Project.objects.values_list("pk", flat=True))
    head = FeedHead.objects.get(pk=1).last_seq
    ocids = list(Release.objects.filter(seq__in=rng.sample(range(1, head + 1), limit)).values_list("ocid", flat=True))
    words = ["养老", "社区", "心理健康", "文化", "垃圾分类", "物业", "就业", "热线", "残疾人", "健身", "矫正", "助餐"]
    paths = {
        "ceiling": ["/bench/ceiling"],
        "tender list": [f"/tenders/?page={rng.randint(1, 50)}" for _ in range(limit)],
        "tender page": [f"/tenders/{rng.choice(tenders)}/" for _ in range(limit)],
        "search": [f"/search/?q={quote(rng.choice(words))}" for _ in range(limit)],
        "ocds releases": [f"/ocds/releases?cursor={rng.randint(0, head - 100)}" for _ in range(limit)],
        "ocds record": [f"/ocds/records/{ocid}" for ocid in ocids],
    }
    # The portal's home and project pages, where this checkout has them.
    try:
        reverse("portal:home")
        paths["portal home"] = ["/"]
    except NoReverseMatch:
        pass
    try:
        project_url = reverse("portal:project", kwargs={"pk": projects[0]})
        prefix = project_url.rsplit(str(projects[0]), 1)[0]
        paths["project page"] = [f"{prefix}{rng.choice(projects)}/" for _ in range(limit)]
    except NoReverseMatch:
        pass
    # The public statistics page and its API, on the figures `manage.py refresh_statistics` left
    # (pre-aggregated: the page reads a few grouped rows however many projects there are).
    from govbuy.organizations.models import Region
    from govbuy.oversight.models import StatisticsCell

    years = sorted(set(StatisticsCell.objects.filter(audience="public", year__gt=0).values_list("year", flat=True)))
    if years:
        regions = ["", *list(Region.objects.values_list("name_zh", flat=True))]

        def statistics_query() -> str:
            query = f"?year={rng.choice([''] + [str(y) for y in years])}"
            region = rng.choice(regions)
            return query + (f"&region={quote(region)}" if region else "")

        paths["public statistics"] = [f"/open-data/statistics/{statistics_query()}" for _ in range(limit)]
        paths["statistics api"] = [f"/api/v1/public/statistics/{statistics_query()}" for _ in range(limit)]
    for endpoint in paths.values():
        rng.shuffle(endpoint)
    return paths


def wait_ready(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # nosec B310  # our local server
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):  # refused, reset, or too slow while starting
            time.sleep(0.5)
    raise SystemExit(f"server not ready at {url}")


def check(base: str, paths: dict[str, list[str]]) -> None:
    for name, endpoint in paths.items():
        for path in endpoint[:3]:
            with urllib.request.urlopen(base + path, timeout=30) as response:  # nosec B310
                if response.status != 200:
                    raise SystemExit(f"{name}: {path} answered {response.status}")


def run_wrk(base: str, paths: list[str], *, connections: int, seconds: int, threads: int, lua: Path) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("\n".join(paths) + "\n")
    env = dict(os.environ, BENCH_PATHS=handle.name)
    argv = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "30s"]
    result = subprocess.run(  # nosec B603  # fixed argv
        [*argv, "-s", str(lua), base + paths[0]],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    os.unlink(handle.name)
    line = next(line for line in result.stderr.splitlines() if line.startswith("BENCH "))
    requests, duration_us, p50_us, p95_us, errors, timeouts = map(int, line.split()[1:])
    return {
        "rps": requests / (duration_us / 1e6),
        "p50_ms": p50_us / 1000,
        "p95_ms": p95_us / 1000,
        "errors": errors,
        "timeouts": timeouts,
        "requests": requests,
    }


def start_server(port: int, env: dict[str, str], *, workers: int, threads: int, cwd: Path = ROOT) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return subprocess.Popen(  # nosec B603  # fixed argv
        [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--log-level",
            "warning",
        ],
        cwd=cwd,
        env=env,
    )


def warm(base: str, paths: list[str]) -> None:
    """Fetch every path once, in the language wrk asks for, so that the cache holds them all."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(path: str) -> None:
        request = urllib.request.Request(base + path, headers={"Accept-Language": "zh-Hans"})
        with urllib.request.urlopen(request, timeout=60) as response:  # nosec B310
            response.read()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(fetch, paths))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", nargs="*", help="endpoint names to run")
    parser.add_argument("--json", help="write every round here")
    parser.add_argument("--compare-cache", action="store_true", help="a second server without the page cache")
    parser.add_argument("--redis-url", default="", help="the page cache and rate limits in this Redis")
    parser.add_argument("--no-cache", action="store_true", help="one server, without the page cache")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout (git worktree add DIR <commit>) served next to this one, both without the page "
        "cache: 'tender page (baseline)' against 'tender page' in the same rounds, for a change to the uncached path",
    )
    parser.add_argument(
        "--hot",
        type=int,
        default=0,
        help="also measure each endpoint of more than N URLs on N of them, each fetched once just before "
        "(on the cached server: the steady state of traffic that concentrates on recent notices)",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("set DATABASE_URL to the PostgreSQL database generate_data filled")
    paths = sample_paths()
    if args.only:
        paths = {name: p for name, p in paths.items() if name in args.only or name == "ceiling"}
    hot: set[str] = set()
    if args.hot:
        for name, endpoint in list(paths.items()):
            distinct = list(dict.fromkeys(endpoint))
            if len(distinct) > args.hot:
                paths[f"{name} (hot {args.hot})"] = distinct[: args.hot]
                hot.add(f"{name} (hot {args.hot})")
    env = server_env(args.port, redis_url=args.redis_url)
    subprocess.run(  # nosec B603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    servers = {"": (args.port, server_env(args.port, page_cache=False) if args.no_cache else env, ROOT)}
    if args.compare_cache:
        servers[" (uncached)"] = (args.port + 1, server_env(args.port + 1, page_cache=False), ROOT)
    if args.baseline:
        servers = {
            " (baseline)": (args.port + 1, server_env(args.port + 1, page_cache=False), args.baseline.resolve()),
            "": (args.port, server_env(args.port, page_cache=False), ROOT),
        }
        for cwd in (args.baseline, ROOT):
            subprocess.run(  # nosec B603
                [sys.executable, "manage.py", "compilemessages", "-v", "0", "--ignore=.venv"], cwd=cwd, check=True
            )
            subprocess.run(  # nosec B603
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=cwd, env=env, check=True
            )
    # Which server each measured name goes to, in the order they take turns.
    targets: dict[str, tuple[str, list[str]]] = {}
    for name, endpoint in paths.items():
        for suffix, (port, _env, _cwd) in servers.items():
            if (name == "ceiling" or name in hot) and suffix:
                continue
            targets[name + suffix] = (f"http://127.0.0.1:{port}", endpoint)
    processes = [
        start_server(port, server_env_, workers=args.workers, threads=args.threads, cwd=cwd)
        for port, server_env_, cwd in servers.values()
    ]
    rounds: list[dict[str, dict]] = []
    try:
        for port, _env, _cwd in servers.values():
            wait_ready(f"http://127.0.0.1:{port}/bench/ceiling")
            check(f"http://127.0.0.1:{port}", paths)
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(LUA)
        lua = Path(handle.name)
        for base, endpoint in targets.values():  # warm every worker's connections and caches
            run_wrk(base, endpoint, connections=args.connections, seconds=2, threads=args.wrk_threads, lua=lua)
        for number in range(args.rounds):
            results = {}
            for name, (base, endpoint) in targets.items():
                if name in hot:
                    warm(base, endpoint)
                results[name] = run_wrk(
                    base,
                    endpoint,
                    connections=args.connections,
                    seconds=args.seconds,
                    threads=args.wrk_threads,
                    lua=lua,
                )
                print(f"round {number + 1} {name:24s} {json.dumps(results[name])}", flush=True)
            rounds.append(results)
        lua.unlink()
    finally:
        for server in processes:
            server.terminate()
            server.wait(timeout=30)
    ceiling = statistics.median(r["ceiling"]["rps"] for r in rounds)
    print(
        f"\n{len(rounds)} rounds, {args.connections} connections, {args.seconds}s each; "
        f"gunicorn {args.workers} workers x {args.threads} threads; medians:"
    )
    print(f"{'endpoint':26s} {'p50 ms':>8s} {'p95 ms':>8s} {'req/s':>8s} {'of ceiling':>10s} {'errors':>6s}")
    for name in targets:
        p50 = statistics.median(r[name]["p50_ms"] for r in rounds)
        p95 = statistics.median(r[name]["p95_ms"] for r in rounds)
        rps = statistics.median(r[name]["rps"] for r in rounds)
        errors = sum(r[name]["errors"] + r[name].get("timeouts", 0) for r in rounds)
        print(f"{name:26s} {p50:8.1f} {p95:8.1f} {rps:8.0f} {rps / ceiling:9.0%} {errors:6d}")
    if args.json:
        Path(args.json).write_text(json.dumps(rounds, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
