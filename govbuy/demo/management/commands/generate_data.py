"""Generate benchmark-scale synthetic data: `manage.py generate_data --projects 100000`.

Builds districts, purchasers, verified providers, budgets and purchase projects through every
stage (plan and revisions, tenders cancelled / failed / retried, openings, awards) with their OCDS
releases — about ten per project — and then rebuilds the search index (govbuy.demo.synthetic).

It writes in bulk (PostgreSQL COPY, or bulk_create on SQLite), in batches each in its own
transaction, BYPASSING THE SERVICES: no audit events, no sealed bid contents, no files. A million
releases through `publish_release` and the audit chain would take hours; the releases are still
exactly what `publish_release` would store (content-derived ids, canonical documents, dense feed
positions in date order). For benchmarks and load tests only: refused under production
settings, and on a database that already holds projects or releases.
"""

from __future__ import annotations

import itertools
import json
import time
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, models, transaction

from govbuy.demo import synthetic as syn
from govbuy.disclosure.models import FeedHead, Release
from govbuy.disclosure.services import reindex_search
from govbuy.organizations.models import Organisation, Region
from govbuy.planning.models import Budget, BudgetLine, CostLine, Project
from govbuy.procurement.models import Award, Bid, Criterion, Lot, Opening, ProcurementMethod, Tender
from govbuy.providers.models import ProviderProfile

SEQUENCED = (Organisation, ProviderProfile, Budget, BudgetLine, Project, CostLine, Tender, Lot, Criterion, Bid)
SEQUENCED += (Opening, Award, Release)
BATCH = 2000  # projects per transaction
RELEASE_BATCH = 10000


class Writer:
    """Inserts rows given as {attname: value}: COPY on PostgreSQL, bulk_create elsewhere."""

    def __init__(self) -> None:
        self.postgres = connection.vendor == "postgresql"
        self.counts: dict[str, int] = defaultdict(int)

    def write(self, model: type[models.Model], rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self.counts[model._meta.label] += len(rows)
        if not self.postgres:
            model._default_manager.bulk_create([model(**row) for row in rows], batch_size=500)
            return
        fields = [model._meta.get_field(name) for name in rows[0]]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        json_positions = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = list(row.values())
                for position in json_positions:
                    values[position] = json.dumps(values[position], ensure_ascii=False)
                copy.write_row(values)


def _next_pk(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1


def _reset_sequences(tables: tuple[type[models.Model], ...]) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite's AUTOINCREMENT follows explicit ids by itself
    with connection.cursor() as cursor:
        for model in tables:
            table = model._meta.db_table
            sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), GREATEST((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 1))"  # noqa: S608, E501  # nosec B608  # a model's table name
            cursor.execute(sql, [table])


class Command(BaseCommand):
    help = "Generate synthetic projects, tenders and OCDS releases in bulk (benchmarks only; bypasses the services)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--projects", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--skip-search", action="store_true", help="do not rebuild the search index")

    def log(self, message: str) -> None:
        if self.verbosity:
            elapsed = time.perf_counter() - self.started
            self.stdout.write(f"[{elapsed:7.1f}s] {message}")
            self.stdout.flush()

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError("generate_data refuses to run under production settings (DJANGO_ENV=production).")
        total = options["projects"]
        if total < 1:
            raise CommandError("--projects must be at least 1.")
        if Project.objects.exists() or Release.objects.exists():
            raise CommandError("generate_data needs a database without projects or releases (migrate a new one).")
        self.verbosity = options["verbosity"]
        self.started = time.perf_counter()
        seed = options["seed"]
        writer = Writer()
        now = datetime.now(UTC).replace(microsecond=0)

        world, users = self._world(seed, total, writer, now)
        self.log(f"{len(world.purchasers)} purchasers, {len(world.providers)} providers")

        first_ids = {model._meta.model_name: _next_pk(model) for model in (Project, Tender, Lot, Bid)}
        specs = syn.plan_projects(world, total, first_ids)
        self.log(f"{total} projects planned")
        self._budgets(specs, writer, now)
        ids_of = {
            "costline": _next_pk(CostLine),
            "criterion": _next_pk(Criterion),
            "opening": _next_pk(Opening),
            "award": _next_pk(Award),
        }
        for start in range(0, total, BATCH):
            with transaction.atomic():
                self._rows(specs[start : start + BATCH], writer, users, ids_of, now)
            self.log(f"rows of projects {start + 1}–{min(start + BATCH, total)} written")
        count = self._releases(specs, writer)
        self.log(f"{count} releases ({count / total:.1f} per project)")
        _reset_sequences(SEQUENCED)
        if not options["skip_search"]:
            counts = reindex_search()
            self.log("search index: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
        if connection.vendor == "postgresql":
            # Fresh planner statistics: autovacuum would get there, but a benchmark run straight
            # after the load would otherwise be planned for empty tables.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.log("done: " + ", ".join(f"{label} {n}" for label, n in sorted(writer.counts.items())))

    # --- pieces -------------------------------------------------------------------------------

    def _world(self, seed: int, total: int, writer: Writer, now: datetime) -> tuple[syn.World, tuple[int, int]]:
        with transaction.atomic():
            city, _ = Region.objects.get_or_create(
                code=syn.CITY[0], defaults={"name_zh": syn.CITY[1], "name_en": syn.CITY[2], "level": "city"}
            )
            for code, name_zh, name_en in syn.DISTRICTS:
                Region.objects.get_or_create(
                    code=code, defaults={"name_zh": name_zh, "name_en": name_en, "level": "district", "parent": city}
                )
            regions = syn.regions_namespace(list(Region.objects.values_list("pk", "code", "name_zh")))
            user_model = get_user_model()
            # The opening and the award take two different people (four eyes); two accounts that
            # cannot sign in stand for the purchasers' staff.
            made = []
            for username in ("generate-data-staff", "generate-data-approver"):
                user, _ = user_model.objects.get_or_create(username=username, defaults={"is_active": False})
                made.append(user.pk)
            methods = {
                m.code: syn.Method(m.pk, m.code, m.name_zh, m.min_suppliers, m.evaluation_method)
                for m in ProcurementMethod.objects.all()
            }
            world = syn.world_for(
                seed=seed, total=total, regions=regions, methods=methods, organisation_pk=_next_pk(Organisation)
            )
            purchasers, providers = world.purchasers, world.providers
            writer.write(
                Organisation,
                [
                    {
                        "id": org.pk,
                        "name_zh": org.name_zh,
                        "name_en": org.name_en,
                        "kind": org.kind,
                        "region_id": org.region_id,
                        "uscc": org.uscc,
                        "status": "active",
                        "uscc_warnings": [],
                        "uscc_review_pending": False,
                        # COPY writes no column defaults: the contacts the notices print, empty.
                        "address": "",
                        "postcode": "",
                        "contact_person": "",
                        "phone": "",
                        "email": "",
                        "created_at": now,
                        "updated_at": now,
                        "version": 1,
                    }
                    for org in [*purchasers, *providers]
                ],
            )
            profile_pk = _next_pk(ProviderProfile)
            rows = []
            for offset, org in enumerate(providers):
                rng = syn.random.Random(f"{seed}:profile:{offset}")
                district = org.region.name_zh
                registered = date(2010, 1, 1) + timedelta(days=rng.randrange(0, 4000))
                authority = f"北京市{district}{'民政局' if org.authority == 'civil_affairs' else '市场监督管理局'}"
                rows.append(
                    {
                        "id": profile_pk + offset,
                        "organisation_id": org.pk,
                        "state": "verified",
                        "authority_kind": org.authority,
                        "registration_authority": authority,
                        "legal_representative": syn.person(rng),
                        "legal_representative_key": syn.hashlib.sha256(f"{seed}:rep:{offset}".encode()).hexdigest(),
                        "registered_address": f"北京市{district}{rng.randrange(1, 300)}号",
                        "registration_date": registered,
                        "contact_name": syn.person(rng),
                        "contact_phone": f"010-{rng.randrange(60000000, 89999999)}",
                        "contact_email": "",
                        "verified_at": datetime(2022, 6, 1, tzinfo=UTC) + timedelta(days=rng.randrange(0, 180)),
                        "created_at": now,
                        "updated_at": now,
                        "version": 1,
                    }
                )
            writer.write(ProviderProfile, rows)
        return world, (made[0], made[1])

    def _budgets(self, specs: list[syn.ProjectSpec], writer: Writer, now: datetime) -> None:
        """One department budget per purchaser and year, with the entrusted-services line the
        projects draw on; the line holds a quarter more than is committed."""
        committed: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        for spec in specs:
            committed[(spec.purchaser.pk, spec.fiscal_year)] += spec.estimate
        purchasers = {spec.purchaser.pk: spec.purchaser for spec in specs}
        budget_pk, line_pk = _next_pk(Budget), _next_pk(BudgetLine)
        budgets, lines, line_of = [], [], {}
        for offset, ((purchaser_pk, year), amount) in enumerate(sorted(committed.items())):
            held = syn._money(amount * Decimal("1.25"))
            budgets.append(
                {
                    "id": budget_pk + offset,
                    "purchaser_id": purchaser_pk,
                    "region_id": purchasers[purchaser_pk].region_id,
                    "fiscal_year": year,
                    "note": "",
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
            lines.append(
                {
                    "id": line_pk + offset,
                    "budget_id": budget_pk + offset,
                    "code": "30227",
                    "name": "委托业务费",
                    "budgeted_amount": held,
                    "amount": held,
                    "committed": syn._money(amount),
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
            )
            line_of[(purchaser_pk, year)] = line_pk + offset
        with transaction.atomic():
            writer.write(Budget, budgets)
            writer.write(BudgetLine, lines)
        for spec in specs:
            spec.budget_line_pk = line_of[(spec.purchaser.pk, spec.fiscal_year)]

    def _rows(
        self,
        specs: list[syn.ProjectSpec],
        writer: Writer,
        users: tuple[int, int],
        ids: dict[str, int],
        now: datetime,
    ) -> None:
        staff, approver = users
        tables: dict[type[models.Model], list[dict[str, Any]]] = defaultdict(list)

        def next_id(kind: str) -> int:
            value = ids[kind]
            ids[kind] = value + 1
            return value

        for spec in specs:
            tables[Project].append(
                {
                    "id": spec.pk,
                    "purchaser_id": spec.purchaser.pk,
                    "region_id": spec.purchaser.region_id,
                    "fiscal_year": spec.fiscal_year,
                    "reference": spec.reference,
                    "title": spec.title,
                    "outside_catalog_name": spec.service.name,
                    "outside_catalog_approved": True,
                    "purchasability": "",
                    "service_description": spec.description,
                    "beneficiaries": spec.service.beneficiaries,
                    "period_start": spec.period_start,
                    "period_end": spec.period_end,
                    "recurring": False,
                    "stable_content": False,
                    "budget_secured": False,
                    "budget_line_id": spec.budget_line_pk,
                    "estimate": spec.estimate,
                    "in_procurement_scope": True,
                    "suggested_method": spec.method.code,
                    "is_conversion": False,
                    "status": "in_plan",
                    "staffing_review": "not_required",
                    "split_flag": False,
                    "split_details": {},
                    "negative_flag": False,
                    "negative_details": [],
                    "submitted_at": spec.plan_dates[0] - timedelta(days=20),
                    "decided_at": spec.plan_dates[0] - timedelta(days=5),
                    "created_at": now,
                    "updated_at": now,
                    "version": len(spec.versions) + 3,
                }
            )
            for line in spec.versions[-1]:
                tables[CostLine].append(
                    {
                        "id": next_id("costline"),
                        "project_id": spec.pk,
                        "position": line.position,
                        "description": line.description,
                        "category": line.category,
                        "unit": line.unit,
                        "quantity": line.quantity,
                        "unit_cost": line.unit_cost,
                        "amount": line.amount,
                    }
                )
            for attempt in spec.attempts:
                self._tender_rows(spec, attempt, tables, staff, approver, next_id, now)
        for model in (Project, CostLine, Tender, Lot, Criterion, Bid, Opening, Award):
            writer.write(model, tables[model])

    def _tender_rows(
        self,
        spec: syn.ProjectSpec,
        attempt: syn.AttemptSpec,
        tables: dict[type[models.Model], list[dict[str, Any]]],
        staff: int,
        approver: int,
        next_id: Any,
        now: datetime,
    ) -> None:
        status = {"awarded": "awarded", "failed": "failed", "cancelled": "cancelled", "open": "published"}[
            attempt.outcome
        ]
        title = syn.tender_title(spec, attempt)
        tables[Tender].append(
            {
                "id": attempt.pk,
                "project_id": spec.pk,
                "purchaser_id": spec.purchaser.pk,
                "region_id": spec.purchaser.region_id,
                "method_id": attempt.method.pk,
                "method_reason": "仅有唯一供应商能够提供该服务。" if attempt.method.code == "single_source" else "",
                "reference": attempt.reference,
                "title": title,
                "description": spec.description,
                "budget": spec.estimate,
                "bid_bond": attempt.bid_bond,
                "bid_deadline": attempt.bid_deadline,
                "status": status,
                "published_at": attempt.published_at,
                "opened_at": attempt.opened_at,
                "wrapped_key": b"",
                "failure_reason": "采购需求调整，终止本次采购。"
                if attempt.outcome == "cancelled"
                else ("提交投标文件的供应商不足法定家数。" if attempt.outcome == "failed" else ""),
                "approved_method_id": attempt.approved_method.pk if attempt.approved_method else None,
                "approved_method_reason": "公开招标失败，经财政部门批准改用竞争性磋商。"
                if attempt.approved_method
                else "",
                "created_by_id": staff,
                "created_at": now,
                "updated_at": now,
                "version": 3,
            }
        )
        tables[Lot].append(
            {"id": attempt.lot_pk, "tender_id": attempt.pk, "number": 1, "title": title, "budget": spec.estimate}
        )
        for position, (name, weight, is_price) in enumerate(attempt.criteria, start=1):
            tables[Criterion].append(
                {
                    "id": next_id("criterion"),
                    "tender_id": attempt.pk,
                    "position": position,
                    "name": name,
                    "weight": weight,
                    "is_price": is_price,
                }
            )
        for bid in attempt.bids:
            tables[Bid].append(
                {
                    "id": bid.pk,
                    "tender_id": attempt.pk,
                    "lot_id": attempt.lot_pk,
                    "provider_id": bid.provider.pk,
                    "status": "opened",
                    "submitted_at": bid.submitted_at,
                    "receipt_sha256": bid.receipt,
                    "ciphertext": b"",
                    "nonce": b"",
                    "price": bid.price,
                    "responses": {},
                    "disqualified_reason": "",
                }
            )
        if attempt.opened_at is not None:
            tables[Opening].append(
                {
                    "id": next_id("opening"),
                    "tender_id": attempt.pk,
                    "initiated_by_id": staff,
                    "initiated_at": attempt.opened_at - timedelta(minutes=20),
                    "confirmed_by_id": approver,
                    "confirmed_at": attempt.opened_at,
                    "bid_count": len(attempt.bids),
                    "record_path": "",
                    "record_sha256": "",
                    "checkpoint_hash": "",
                }
            )
        if attempt.winner is not None and attempt.awarded_at is not None:
            tables[Award].append(
                {
                    "id": next_id("award"),
                    "tender_id": attempt.pk,
                    "lot_id": attempt.lot_pk,
                    "bid_id": attempt.winner.pk,
                    "provider_id": attempt.winner.provider.pk,
                    "amount": attempt.winner.price,
                    "status": "active",
                    "reason": "",
                    "proposed_by_id": staff,
                    "proposed_at": attempt.awarded_at - timedelta(days=1),
                    "confirmed_by_id": approver,
                    "confirmed_at": attempt.awarded_at,
                    "checkpoint_hash": "",
                    # No refusal to sign (Reg. Art. 49): COPY writes every NOT NULL column.
                    "refusal_ground": "",
                    "refusal_reason": "",
                    "refusal_evidence_name": "",
                    "refusal_evidence_path": "",
                    "refusal_evidence_sha256": "",
                }
            )

    def _releases(self, specs: list[syn.ProjectSpec], writer: Writer) -> int:
        """Every release, in date order (ties: project, then stage order), with dense feed
        positions continuing after the head."""
        head = FeedHead.objects.filter(pk=1).values_list("last_seq", flat=True).first() or 0
        pk = _next_pk(Release)
        seq = head
        stream = syn.release_stream(specs)
        expected = sum(1 for spec in specs for _stage in syn.stages_of(spec))
        self.log(f"{expected} releases to write")
        batches = 0
        while True:
            rows = []
            for stage, obj_type, obj_id, stored in itertools.islice(stream, RELEASE_BATCH):
                seq += 1
                rows.append(
                    {
                        "id": pk,
                        "seq": seq,
                        "release_id": stored.release_id,
                        "ocid": stored.ocid,
                        "date": stored.date,
                        "tags": [stored.tag],
                        "stage": stage,
                        "object_type": obj_type,
                        "object_id": obj_id,
                        "document": stored.document,
                        "sha256": stored.sha256,
                        "published_at": stored.date,
                    }
                )
                pk += 1
            if not rows:
                break
            with transaction.atomic():
                writer.write(Release, rows)
                FeedHead.objects.update_or_create(pk=1, defaults={"last_seq": seq})
            batches += 1
            if batches % 10 == 0 or seq - head == expected:
                self.log(f"releases: {seq - head} of {expected}")
        return seq - head
