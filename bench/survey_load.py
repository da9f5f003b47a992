"""Load test of the satisfaction survey: N answers from C concurrent clients, none lost, none
counted twice (issue 13).

Builds a small world on the database in DATABASE_URL (which it FLUSHES: its name must contain
"bench"), opens a survey on a contract and issues N one-time codes through the services; starts
gunicorn with production settings (bench/settings.py, as bench/http_latency.py does); then C
client threads post the N answers to /api/v1/performance/survey-answers/, and every tenth code is
posted a second time by another client at the same moment. Afterwards the database must hold
exactly N answers, N spent codes, N "201 Created" answers and a "400 code_invalid" for each
second post; anything else fails the run (exit status 1).

    createdb -h 127.0.0.1 -U govbuy_ci govbuy_performance_bench
    DATABASE_URL=postgresql://govbuy_ci:govbuy_ci@127.0.0.1:5432/govbuy_performance_bench \\
      .venv/bin/python bench/survey_load.py --answers 2000 --clients 50

Not part of the test suite. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_latency import server_env  # noqa: E402

QUESTIONS = ["服务态度", "服务质量", "服务及时性"]


def seed(answers: int) -> tuple[list[str], int]:
    """A fresh world, a contract in delivery, a survey and `answers` codes (plain, as printed)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    if "bench" not in connection.settings_dict["NAME"]:
        raise SystemExit("refusing to flush a database whose name does not contain 'bench'")
    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    for module in (
        "govbuy.procurement.migrations.0002_seed_methods",
        "govbuy.catalog.migrations.0002_seed_negative_list",
        "govbuy.catalog.migrations.0003_negative_list_more_terms",
        "govbuy.providers.migrations.0002_seed_condition_patterns",
    ):
        from django.apps import apps

        __import__(module, fromlist=["seed"]).seed(apps, None)

    from govbuy.core.testing import build_world
    from govbuy.performance.services import surveys
    from govbuy.planning.services import budget_lines, proposals
    from govbuy.planning.tests.conftest import COSTS, TARGETS, YEAR, advance, publish_catalog
    from tests.builders.performance import make_contract

    world = build_world()
    catalog = publish_catalog(world.city, [("A", "", "基本公共服务", ""), ("A05", "A", "养老服务", "")])
    item = catalog.items.get(code="A05")
    budget = budget_lines.create_budget(actor=world.purchaser_a, purchaser=world.purchaser_a_org, fiscal_year=YEAR)
    line = budget_lines.add_line(
        actor=world.purchaser_a, budget=budget, code="30227", name="委托业务费", amount="1000000.00"
    )
    project = proposals.propose_project(
        actor=world.purchaser_a,
        purchaser=world.purchaser_a_org,
        budget_line=line,
        title="东城区居家养老上门服务",
        catalog_item=item,
        service_description="为辖区失能、高龄老人提供上门助洁、助浴、助医服务。",
        beneficiaries="东城区80岁以上及失能老年人",
        period_start=date(YEAR, 1, 1),
        period_end=date(YEAR, 12, 31),
        suggested_method="public_tender",
        cost_lines=COSTS,
        targets=TARGETS,
    )
    project = advance(project, world, to="approved")
    contract = make_contract(world, project)
    survey = surveys.open_survey(
        actor=world.purchaser_a,
        contract=contract,
        title="居家养老服务满意度调查（压力测试）",
        questions=QUESTIONS,
        closes_at=timezone.now() + timedelta(days=7),
    )
    survey, codes = surveys.issue_invitations(
        actor=world.purchaser_a, survey=survey, version=survey.version, count=answers
    )
    return codes, survey.pk


def post(base: str, code: str, ratings: list[int]) -> tuple[int, str, float]:
    body = json.dumps({"code": code, "ratings": ratings, "comment": ""}).encode()
    request = urllib.request.Request(  # nosec B310  # a fixed local URL
        base + "/api/v1/performance/survey-answers/",
        data=body,
        headers={"Content-Type": "application/json", "Accept-Language": "zh-Hans"},
        method="POST",
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # nosec B310
            return response.status, "", time.perf_counter() - started
    except urllib.error.HTTPError as error:
        payload = error.read().decode(errors="replace")
        try:
            code_name = json.loads(payload).get("code", "")
        except ValueError:
            code_name = payload[:80]
        return error.code, code_name, time.perf_counter() - started


def run(base: str, codes: list[str], clients: int) -> dict:
    work: queue.Queue[tuple[str, bool]] = queue.Queue()
    for index, code in enumerate(codes):
        work.put((code, False))
        if index % 10 == 0:
            work.put((code, True))  # the same code again, taken by another client at once
    results: list[tuple[int, str, float, bool]] = []
    lock = threading.Lock()

    def client(seed_value: int) -> None:
        rng = secrets.SystemRandom()
        while True:
            try:
                code, repeat = work.get_nowait()
            except queue.Empty:
                return
            ratings = [rng.randint(1, 5) for _q in QUESTIONS]
            status, name, seconds = post(base, code, ratings)
            with lock:
                results.append((status, name, seconds, repeat))

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies = sorted(r[2] for r in results)
    statuses: dict[str, int] = {}
    for status, name, _s, _r in results:
        key = f"{status} {name}".strip()
        statuses[key] = statuses.get(key, 0) + 1
    return {
        "requests": len(results),
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(results) / elapsed, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 1),
        "statuses": statuses,
        "created": sum(1 for r in results if r[0] == 201),
    }


def verify(survey_id: int, expected: int, outcome: dict) -> list[str]:
    from govbuy.performance.models import Answer, Invitation, SurveyFlag

    answers = Answer.objects.filter(survey_id=survey_id).count()
    spent = Invitation.objects.filter(survey_id=survey_id, used_at__isnull=False).count()
    outcome.update(
        {
            "answers_stored": answers,
            "codes_spent": spent,
            "flagged_answers": SurveyFlag.objects.filter(answer__survey_id=survey_id)
            .values("answer")
            .distinct()
            .count(),
        }
    )
    problems = []
    if answers != expected:
        problems.append(f"{answers} answers stored, expected {expected}")
    if spent != expected:
        problems.append(f"{spent} codes spent, expected {expected}")
    if outcome["created"] != expected:
        problems.append(f"{outcome['created']} answers accepted, expected {expected}")
    extra = {k: v for k, v in outcome["statuses"].items() if k not in ("201", "400 code_invalid")}
    if extra:
        problems.append(f"unexpected answers: {extra}")
    return problems


def wait_ready(url: str, timeout: float = 180) -> None:
    """The first request warms each worker up (imports, word lists): allow it time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=60) as response:  # nosec B310  # our local server
                if response.status == 200:
                    return
        except OSError:
            time.sleep(1)
    raise SystemExit(f"the server did not answer {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # The server and this process must hash codes with the same key.
    os.environ["GOVBUY_SURVEY_CODE_KEY"] = secrets.token_urlsafe(32)
    codes, survey_id = seed(args.answers)
    env = server_env(args.port)
    env["GOVBUY_SURVEY_CODE_KEY"] = os.environ["GOVBUY_SURVEY_CODE_KEY"]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # nosec B603  # fixed argv
        [
            str(gunicorn),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{args.port}"
    # A stopped run still stops its server.
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    try:
        wait_ready(base + "/bench/ceiling")
        outcome = run(base, codes, args.clients)
    finally:
        server.terminate()
        server.wait(timeout=30)
    outcome.update({"answers": args.answers, "clients": args.clients, "workers": args.workers, "threads": args.threads})
    problems = verify(survey_id, args.answers, outcome)
    print(json.dumps(outcome, ensure_ascii=False, indent=2))
    if problems:
        print("FAILED: " + "; ".join(problems), file=sys.stderr)
        raise SystemExit(1)
    print("OK: none lost, none counted twice")


if __name__ == "__main__":
    main()
