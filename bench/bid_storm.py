"""Bid storm (issue 17): B bidders submit sealed bids in the last minute before a tender's
deadline while the public portal is busy; the deadline passes during the storm. Goals: bid p95
under 1 s, none lost, none accepted late.

Works on a copy of data from `manage.py generate_data` (DATABASE_URL; its name must contain
"bench" or "scale", and the run changes it): one of the generated published tenders of the
public tender method gets a fresh sealing key under this run's key-encryption key, B verified
providers each get a staff account and an API token, and the tender's deadline is set to
--window seconds after the storm starts. gunicorn serves with production settings
(bench/settings.py, as bench/http_latency.py does). During the storm:

- `wrk` keeps --readers connections busy with the public pages (portal home, tender list,
  search, this tender's page and other tenders', project pages, /ocds/releases), as citizens and
  bidders watching the tender would;
- each bidder POSTs one bid (a PDF document, base64) to /api/v1/procurement/tenders/<pk>/bids/
  at a moment in the window drawn towards the deadline (deadline - window × u²), so most arrive
  in its last seconds; --replacements of them bid again in the last 2 s (replacing their first
  bid) and --late of them try again up to 3 s after the deadline.

Afterwards the run fails (exit 1) unless: every answer was 201 or the deadline's 409; every 201
has its bid row with the receipt it answered and every new bid row its 201 (none lost, none
phantom); every accepted bid's server time is before the deadline; every request sent after the
deadline was refused; every bid sent more than 1 s before the deadline was accepted; p95 < 1 s.

    createdb -h 127.0.0.1 -U govbuy_ci -T govbuy_scale govbuy_scale_storm
    DATABASE_URL=postgresql://govbuy_ci:govbuy_ci@127.0.0.1:5432/govbuy_scale_storm \\
      .venv/bin/python bench/bid_storm.py --bidders 50 --window 60 --readers 16

Needs `wrk`. Not part of the test suite. Results: docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.http_latency import LUA, run_wrk, server_env, start_server, wait_ready  # noqa: E402

BIDDER_PREFIX = "storm-bidder-"


def seed(bidders: int, offset: int = 0) -> dict[str, Any]:
    """The tender, its lot and conditions, and one (provider, token) per bidder."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from govbuy.accounts.services import issue_api_token
    from govbuy.organizations.models import Membership
    from govbuy.procurement import sealing
    from govbuy.procurement.models import Tender
    from govbuy.providers import selectors as provider_selectors
    from govbuy.providers.models import ProviderProfile, RelatedParty

    name = connection.settings_dict["NAME"]
    if "bench" not in name and "scale" not in name:
        raise SystemExit("refusing to change a database whose name contains neither 'bench' nor 'scale'")
    tender = (
        Tender.objects.filter(status="published", method__code="public_tender")
        .select_related("project")
        .order_by("pk")[offset : offset + 1]
        .first()
    )
    if tender is None:
        raise SystemExit("no published public tender: load data with manage.py generate_data first")
    lot = tender.lots.order_by("number").first()
    related = set(RelatedParty.objects.values_list("first_id", flat=True)) | set(
        RelatedParty.objects.values_list("second_id", flat=True)
    )
    candidates = [
        org_id
        for org_id in ProviderProfile.objects.filter(state="verified")
        .order_by("pk")
        .values_list("organisation_id", flat=True)
        if org_id not in related and provider_selectors.participation(org_id, gate=provider_selectors.Gate.BID).allowed
    ]
    if len(candidates) < bidders:
        raise SystemExit(f"only {len(candidates)} verified providers may bid; asked for {bidders}")
    users = get_user_model().objects
    accounts = []
    with transaction.atomic():
        # A sealing key under this run's key-encryption key (the generated rows carry none), and a
        # deadline far off until the storm starts.
        Tender.objects.filter(pk=tender.pk).update(
            wrapped_key=sealing.new_wrapped_key(), bid_deadline=dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
        )
        for index, org_id in enumerate(candidates[:bidders]):
            user, _ = users.get_or_create(
                username=f"{BIDDER_PREFIX}{index}", defaults={"display_name": f"投标人{index}", "email": ""}
            )
            Membership.objects.get_or_create(user=user, organisation_id=org_id, defaults={"role": "admin"})
            accounts.append({"provider": org_id, "token": issue_api_token(user=user, actor=user, channel="api")})
    in_force = provider_selectors.conditions_in_force(tender.purchaser_id, tender.project.reference)
    conditions = [str(c.pk) for c in in_force]
    return {
        "tender": tender.pk,
        "project": tender.project_id,
        "lot": lot.pk,
        "price": str((lot.budget * Decimal("0.9")).quantize(Decimal("0.01"))),
        "responses": dict.fromkeys(conditions, "承诺满足该条件。"),
        "accounts": accounts,
    }


def set_deadline(tender_id: int, seconds: float) -> dt.datetime:
    """The deadline, `seconds` after the database's clock now (the clock the bid check reads)."""
    from govbuy.procurement.models import Tender
    from govbuy.procurement.services.bids import db_now

    deadline = db_now() + dt.timedelta(seconds=seconds)
    Tender.objects.filter(pk=tender_id).update(bid_deadline=deadline)
    return deadline


def reader_paths(tender_id: int, count: int = 2000) -> list[str]:
    from govbuy.disclosure.models import FeedHead
    from govbuy.planning.models import Project
    from govbuy.procurement.models import Tender

    rng = random.Random(2026)
    tenders = list(Tender.objects.exclude(published_at=None).values_list("pk", flat=True))
    projects = list(Project.objects.values_list("pk", flat=True))
    head = FeedHead.objects.get(pk=1).last_seq
    words = ["养老", "社区", "心理健康", "文化", "垃圾分类", "物业", "就业", "助餐"]
    makers = [
        lambda: "/",
        lambda: f"/tenders/?page={rng.randint(1, 20)}",
        lambda: f"/search/?q={quote(rng.choice(words))}",
        lambda: f"/tenders/{tender_id}/",
        lambda: f"/tenders/{rng.choice(tenders)}/",
        lambda: f"/projects/{rng.choice(projects)}/",
        lambda: f"/ocds/releases?cursor={rng.randint(0, max(head - 100, 0))}",
    ]
    return [rng.choice(makers)() for _ in range(count)]


def post_bid(base: str, tender_id: int, account: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    data = json.dumps({**body, "provider": account["provider"]}).encode()
    request = urllib.request.Request(  # nosec B310  # a fixed local URL
        f"{base}/api/v1/procurement/tenders/{tender_id}/bids/",
        data=data,
        headers={
            "Content-Type": "application/json",
            "Accept-Language": "en",
            "Authorization": f"Bearer {account['token']}",
        },
        method="POST",
    )
    sent = time.time()
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # nosec B310
            payload = json.loads(response.read())
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
        try:
            payload = json.loads(error.read())
        except ValueError:
            payload = {}
    return {
        "provider": account["provider"],
        "sent": sent,
        "seconds": time.perf_counter() - started,
        "status": status,
        "code": payload.get("code", ""),
        "receipt": payload.get("receipt_sha256", ""),
        "detail": str(payload.get("detail", payload.get("message", "")))[:120],
    }


def schedule(accounts: list[dict[str, Any]], window: float, replacements: int, late: int) -> list[tuple[float, int]]:
    """(seconds before (+) or after (-) the deadline, account index) for every submission."""
    rng = random.Random(17)
    plan = [(window * rng.random() ** 2, index) for index in range(len(accounts))]
    plan += [(2.0 * rng.random(), index) for index in rng.sample(range(len(accounts)), replacements)]
    plan += [(-3.0 * rng.random(), index) for index in rng.sample(range(len(accounts)), late)]
    return plan


def storm(base: str, seeded: dict[str, Any], deadline_epoch: float, plan: list[tuple[float, int]]) -> list[dict]:
    body = {
        "lot": seeded["lot"],
        "price": seeded["price"],
        "currency": "CNY",
        "responses": seeded["responses"],
    }
    from govbuy.providers.samples import minimal_pdf

    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def bidder(before: float, index: int) -> None:
        account = seeded["accounts"][index]
        document = base64.b64encode(minimal_pdf(f"bid of provider {account['provider']} at {before:.3f}")).decode()
        pause = deadline_epoch - before - time.time()
        if pause > 0:
            time.sleep(pause)
        outcome = post_bid(
            base,
            seeded["tender"],
            account,
            {**body, "documents": [{"name": "bid.pdf", "content_base64": document}]},
        )
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=bidder, args=item) for item in plan]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def verify(seeded: dict[str, Any], deadline: dt.datetime, started: dt.datetime, results: list[dict]) -> list[str]:
    from govbuy.procurement.models import Bid

    deadline_epoch = deadline.timestamp()
    rows = list(
        Bid.objects.filter(tender_id=seeded["tender"], submitted_at__gte=started).values(
            "provider_id", "receipt_sha256", "submitted_at", "status"
        )
    )
    problems = []
    odd = [r for r in results if not (r["status"] == 201 or (r["status"] == 409 and r["code"] == "transition_refused"))]
    if odd:
        problems.append(f"unexpected answers: {[(r['status'], r['code'], r['detail']) for r in odd][:5]}")
    accepted = {r["receipt"] for r in results if r["status"] == 201}
    stored = {r["receipt_sha256"] for r in rows}
    if accepted - stored:
        problems.append(f"{len(accepted - stored)} accepted bids have no row (lost)")
    if stored - accepted:
        problems.append(f"{len(stored - accepted)} bid rows were never answered 201")
    late_rows = [r for r in rows if r["submitted_at"] >= deadline]
    if late_rows:
        problems.append(f"{len(late_rows)} bids stored at or after the deadline")
    late_accepted = [r for r in results if r["sent"] >= deadline_epoch and r["status"] == 201]
    if late_accepted:
        problems.append(f"{len(late_accepted)} bids sent after the deadline were accepted")
    early_refused = [r for r in results if r["sent"] < deadline_epoch - 1 and r["status"] != 201]
    if early_refused:
        problems.append(f"{len(early_refused)} bids sent more than 1 s before the deadline were refused")
    sealed = {r["provider_id"] for r in rows if r["status"] == "sealed"}
    providers_accepted = {r["provider"] for r in results if r["status"] == 201}
    if sealed != providers_accepted:
        problems.append("the sealed bids are not one per provider that had a bid accepted")
    latencies = sorted(r["seconds"] for r in results)
    if latencies[max(int(len(latencies) * 0.95) - 1, 0)] >= 1.0:
        problems.append("bid p95 is 1 s or more")
    return problems


def summary(results: list[dict], deadline_epoch: float) -> dict[str, Any]:
    latencies = sorted(r["seconds"] for r in results)
    last_10 = [r for r in results if deadline_epoch - 10 <= r["sent"] < deadline_epoch]
    return {
        "submissions": len(results),
        "accepted": sum(1 for r in results if r["status"] == 201),
        "refused_deadline": sum(1 for r in results if r["status"] == 409),
        "sent_after_deadline": sum(1 for r in results if r["sent"] >= deadline_epoch),
        "sent_in_last_second_refused": sum(
            1 for r in results if deadline_epoch - 1 <= r["sent"] < deadline_epoch and r["status"] != 201
        ),
        "sent_in_last_10_s": len(last_10),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[max(int(len(latencies) * 0.95) - 1, 0)] * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bidders", type=int, default=50)
    parser.add_argument("--window", type=float, default=60.0, help="seconds from the storm's start to the deadline")
    parser.add_argument("--replacements", type=int, default=10)
    parser.add_argument("--late", type=int, default=10)
    parser.add_argument("--readers", type=int, default=16, help="wrk connections on the public pages")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument(
        "--tender-offset",
        type=int,
        default=0,
        help="storm the published public tender this many after the first (a fresh tender for each run on "
        "the same database: a provider's submissions per tender and hour are limited)",
    )
    parser.add_argument(
        "--write-workers",
        type=int,
        default=0,
        help="a second gunicorn of this many workers (--threads each) takes the bids, as a proxy routing "
        "writes to their own pool would; 0: the bids go to the same server as the readers",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    env = server_env(args.port)
    # This process seals the tender's key with the server's key-encryption key.
    os.environ["GOVBUY_BID_KEK"] = env["GOVBUY_BID_KEK"]
    seeded = seed(args.bidders, args.tender_offset)
    paths = reader_paths(seeded["tender"])
    subprocess.run(  # nosec B603  # fixed argv
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    lua = Path(tempfile.mkstemp(suffix=".lua")[1])
    lua.write_text(LUA)
    server = start_server(args.port, env, workers=args.workers, threads=args.threads)
    servers = [server]
    base = f"http://127.0.0.1:{args.port}"
    write_base = base
    if args.write_workers:
        write_env = {**env, "GOVBUY_PUBLIC_URL": f"http://127.0.0.1:{args.port + 1}"}
        servers.append(start_server(args.port + 1, write_env, workers=args.write_workers, threads=args.threads))
        write_base = f"http://127.0.0.1:{args.port + 1}"
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    readers: dict[str, Any] = {}
    try:
        wait_ready(base + "/bench/ceiling", timeout=180)
        wait_ready(write_base + "/bench/ceiling", timeout=180)
        for path in paths[:30]:  # every worker imports its templates and word lists before the storm
            urllib.request.urlopen(base + path, timeout=60).read()  # nosec B310
        load = os.getloadavg()
        from govbuy.procurement.services.bids import db_now

        started = db_now()
        deadline = set_deadline(seeded["tender"], args.window)
        plan = schedule(seeded["accounts"], args.window, args.replacements, args.late)
        wrk_seconds = int(args.window) + 6
        reader = threading.Thread(
            target=lambda: readers.update(
                run_wrk(base, paths, connections=args.readers, seconds=wrk_seconds, threads=1, lua=lua)
            )
        )
        reader.start()
        results = storm(write_base, seeded, deadline.timestamp(), plan)
        reader.join()
    finally:
        for running in servers:
            running.terminate()
        for running in servers:
            running.wait(timeout=30)
        lua.unlink()
    outcome = {
        "bidders": args.bidders,
        "window_s": args.window,
        "readers": args.readers,
        "workers": args.workers,
        "threads": args.threads,
        "write_workers": args.write_workers,
        "load_average_before": [round(x, 2) for x in load],
        "bids": summary(results, deadline.timestamp()),
        "public_pages_during_storm": {k: round(v, 1) if isinstance(v, float) else v for k, v in readers.items()},
    }
    problems = verify(seeded, deadline, started, results)
    print(json.dumps(outcome, ensure_ascii=False, indent=2))
    if problems:
        print("FAILED: " + "; ".join(problems), file=sys.stderr)
        raise SystemExit(1)
    print("OK: none lost, none accepted late, p95 under 1 s")


if __name__ == "__main__":
    main()
