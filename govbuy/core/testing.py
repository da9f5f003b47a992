"""Personas for tests: the same small world in every test module.

Two purchasers in different districts, two rival providers, the city and a district finance
bureau, the staffing office, registration authorities, supervision and audit, a third-party
evaluator, a platform admin, the public (anonymous) and an outsider (signed in, no role).
Test code builds it with `build_world()` (or the `world` fixture in conftest.py).

`race()` is the one harness for concurrency tests: many threads, each with its own database
connection, released together.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, connections

PASSWORD = "Persona-Pass-2026!"  # noqa: S105 - test personas only


@dataclass
class World:
    city: Any
    district_a: Any
    district_b: Any
    orgs: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        users = self.__dict__.get("users", {})
        if name in users:
            return users[name]
        orgs = self.__dict__.get("orgs", {})
        if name in orgs:
            return orgs[name]
        raise AttributeError(name)


# persona name → (organisation key, role)
PERSONAS: dict[str, tuple[str | None, str | None]] = {
    "purchaser_a": ("purchaser_a_org", "staff"),
    "purchaser_a_approver": ("purchaser_a_org", "approver"),
    "purchaser_b": ("purchaser_b_org", "staff"),
    "provider_a": ("provider_a_org", "admin"),
    "provider_b": ("provider_b_org", "admin"),
    "city_finance": ("city_finance_org", "staff"),
    "district_finance_a": ("district_finance_a_org", "staff"),
    "district_finance_b": ("district_finance_b_org", "staff"),
    "staffing": ("staffing_org", "staff"),
    "civil_affairs": ("civil_affairs_org", "staff"),
    "market_regulation": ("market_regulation_org", "staff"),
    "supervisor": ("supervision_org", "read_only"),
    "auditor": ("audit_org", "read_only"),
    "evaluator": ("evaluator_org", "staff"),
    "outsider": (None, None),
    "platform_admin": (None, None),
}


def build_world() -> World:
    from govbuy.organizations.models import Membership, Organisation, Region
    from govbuy.organizations.uscc import make_code

    city = Region.objects.create(code="110000", name_zh="北京市", name_en="Beijing", level="city")
    district_a = Region.objects.create(
        code="110101", name_zh="东城区", name_en="Dongcheng District", level="district", parent=city
    )
    district_b = Region.objects.create(
        code="110105", name_zh="朝阳区", name_en="Chaoyang District", level="district", parent=city
    )
    world = World(city=city, district_a=district_a, district_b=district_b)

    def org(key: str, name: str, kind: str, region: Any, prefix: str, serial: int) -> None:
        uscc = make_code(prefix, region.code, f"{serial:08d}") if kind != "individual" else None
        world.orgs[key] = Organisation.objects.create(name_zh=name, name_en=key, kind=kind, region=region, uscc=uscc)

    org("city_finance_org", "北京市财政局", "finance_bureau", city, "11", 10000001)
    org("district_finance_a_org", "东城区财政局", "finance_bureau", district_a, "11", 10000002)
    org("district_finance_b_org", "朝阳区财政局", "finance_bureau", district_b, "11", 10000003)
    org("staffing_org", "北京市委机构编制委员会办公室", "staffing_office", city, "11", 10000004)
    org("civil_affairs_org", "北京市民政局", "civil_affairs", city, "11", 10000005)
    org("market_regulation_org", "北京市市场监督管理局", "market_regulation", city, "11", 10000006)
    org("supervision_org", "北京市监察委员会", "supervision", city, "11", 10000007)
    org("audit_org", "北京市审计局", "audit_office", city, "11", 10000008)
    org("evaluator_org", "北京评估咨询有限公司", "third_party_evaluator", city, "91", 20000009)
    org("purchaser_a_org", "东城区民政局", "administrative_agency", district_a, "11", 10000010)
    org("purchaser_b_org", "朝阳区民政局", "administrative_agency", district_b, "11", 10000011)
    org("provider_a_org", "东城区阳光养老服务中心", "social_service_organisation", district_a, "52", 30000012)
    org("provider_b_org", "朝阳区康乐社会工作事务所", "social_service_organisation", district_b, "52", 30000013)

    user_model = get_user_model()
    for name, (org_key, role) in PERSONAS.items():
        user = user_model.objects.create_user(
            username=name,
            password=PASSWORD,
            display_name=name,
            is_superuser=(name == "platform_admin"),
            is_staff=(name == "platform_admin"),
        )
        if org_key is not None and role is not None:
            Membership.objects.create(user=user, organisation=world.orgs[org_key], role=role)
        world.users[name] = user
    return world


def needs_file_database() -> None:
    """Threads need a database they can each connect to: in-memory SQLite answers "table is
    locked" instead of waiting, so the test is skipped there."""
    import pytest

    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("threads need a file database: run with GOVBUY_SQLITE_TEST_PATH=/tmp/govbuy-test.sqlite3")


@dataclass
class Race:
    """Per thread index, what `work` returned or the exception it raised."""

    outcomes: list[Any]

    @property
    def errors(self) -> list[BaseException]:
        return [o for o in self.outcomes if isinstance(o, BaseException)]

    @property
    def results(self) -> list[Any]:
        return [o for o in self.outcomes if not isinstance(o, BaseException)]


def race(work: Callable[[int], Any], count: int, *, ready: Callable[[], Any] | None = None) -> Race:
    """Run `work(0)` … `work(count - 1)` in `count` threads at once. Every thread first opens its
    own database connection, then all wait at a barrier; the main thread runs `ready` (a deadline
    set just then, say) and releases them together. Each thread closes its connections at the end.
    Tests whose threads wait on each other's locks skip on in-memory SQLite (needs_file_database)."""
    connected = threading.Barrier(count + 1, timeout=60)
    released = threading.Barrier(count + 1, timeout=60)
    outcomes: list[Any] = [None] * count

    def run(index: int) -> None:
        try:
            connection.ensure_connection()
            connected.wait()
            released.wait()
            outcomes[index] = work(index)
        except BaseException as exc:  # the outcome is the caller's to assert
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    connected.wait()
    if ready is not None:
        ready()
    released.wait()
    for thread in threads:
        thread.join(timeout=180)
    assert not any(thread.is_alive() for thread in threads)
    return Race(outcomes)
