"""Versions, items, publication, supersession, concurrency, negative list and purchasability."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from govbuy.audit.describe import describe, registered_codes
from govbuy.catalog import selectors
from govbuy.catalog.models import CatalogItem, CatalogVersion, NegativeListMatter
from govbuy.catalog.services import draft_items, filings, negative_list, versions
from govbuy.catalog.tests.conftest import small_draft
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_negative_list_is_seeded_with_legal_basis(db):
    codes = list(NegativeListMatter.objects.values_list("code", flat=True))
    assert codes == ["ART10-1", "ART10-2", "ART10-3", "ART10-4", "ART10-5", "ART10-6", "ART18"]
    assert all("102号" in m.legal_basis_zh for m in NegativeListMatter.objects.all())


def test_draft_copies_the_published_catalog_and_publication_supersedes(world, demo_catalog, events):
    city_v1 = demo_catalog["city"]
    assert city_v1.status == "published"
    assert city_v1.items.count() == 60
    draft = versions.create_draft(actor=world.city_finance, region=world.city, title_zh="北京市目录（2027年版）")
    assert draft.number == 2
    assert draft.based_on == city_v1
    assert draft.items.count() == 60
    a05 = draft.items.get(code="A05")
    draft_items.update_item(actor=world.city_finance, item=a05, version=draft.version, name_zh="基本养老服务（含居家）")
    draft.refresh_from_db()
    draft_items.update_item(
        actor=world.city_finance, item=draft.items.get(code="B03"), version=draft.version, parent_code="A"
    )
    draft.refresh_from_db()
    draft_items.remove_item(actor=world.city_finance, item=draft.items.get(code="A18"), version=draft.version)
    draft.refresh_from_db()
    versions.publish_version(actor=world.city_finance, catalog=draft, version=draft.version, effective_from=TODAY)
    draft.refresh_from_db()
    city_v1.refresh_from_db()
    assert (draft.status, city_v1.status) == ("published", "superseded")
    assert draft.diff["counts"]["renamed"] == 1
    assert draft.diff["counts"]["moved"] == 1
    assert draft.diff["counts"]["removed"] == 1
    assert draft.diff["counts"]["reflagged"] == 0
    published = events("catalog.version.published")[-1]
    assert published.data["counts"] == draft.diff["counts"]
    assert "v" not in describe(published) or "2" in describe(published)
    assert events("catalog.version.superseded")[-1].object_id == str(city_v1.pk)
    # The old version stays readable and unchanged.
    assert city_v1.items.get(code="A05").name_zh == "基本养老服务"
    assert selectors.effective_version(world.city, TODAY) == draft
    assert selectors.effective_version(world.city, datetime.date(2015, 1, 1)) == city_v1


def test_published_version_never_changes(world, demo_catalog):
    city_v1 = demo_catalog["city"]
    item = city_v1.items.get(code="A01")
    with pytest.raises(TransitionRefused):
        draft_items.update_item(actor=world.city_finance, item=item, version=city_v1.version, name_zh="改名")
    with pytest.raises(TransitionRefused):
        draft_items.add_item(actor=world.city_finance, catalog=city_v1, version=city_v1.version, code="Z", name_zh="新")
    with pytest.raises(TransitionRefused):
        draft_items.remove_item(actor=world.city_finance, item=item, version=city_v1.version)
    assert CatalogItem.objects.get(pk=item.pk).name_zh == "基本公共教育"


def test_one_draft_per_region_and_discard(world):
    draft = small_draft(world.city, world.city_finance)
    with pytest.raises(Conflict):
        versions.create_draft(actor=world.city_finance, region=world.city, title_zh="又一个")
    versions.discard_draft(actor=world.city_finance, catalog=draft, version=draft.version, reason="重来")
    again = versions.create_draft(actor=world.city_finance, region=world.city, title_zh="又一个")
    assert again.number == 2


def test_stale_version_is_a_conflict_and_changes_nothing(world):
    draft = small_draft(world.city, world.city_finance)
    read = draft.version
    item = draft.items.get(code="A01")
    draft_items.update_item(actor=world.city_finance, item=item, version=read, name_zh="第一位")
    with pytest.raises(Conflict) as exc:
        draft_items.update_item(actor=world.city_finance, item=item, version=read, name_zh="第二位")
    assert exc.value.status == 409
    assert CatalogItem.objects.get(pk=item.pk).name_zh == "第一位"


def test_levels_and_moves(world):
    draft = small_draft(world.city, world.city_finance)
    draft_items.add_item(
        actor=None, catalog=draft, version=draft.version, code="A010101", parent_code="A0101", name_zh="四级"
    )
    draft.refresh_from_db()
    with pytest.raises(ValidationFailed) as exc:
        draft_items.add_item(
            actor=None, catalog=draft, version=draft.version, code="X5", parent_code="A010101", name_zh="五级"
        )
    assert exc.value.code == "level_over_4"
    draft_items.add_item(actor=None, catalog=draft, version=draft.version, code="B", name_zh="另一类")
    draft.refresh_from_db()
    with pytest.raises(ValidationFailed):  # A01's subtree would reach level 5 under A0101's level
        draft_items.update_item(
            actor=None, item=draft.items.get(code="A01"), version=draft.version, parent_code="A0101"
        )
    with pytest.raises(ValidationFailed):
        draft_items.update_item(actor=None, item=draft.items.get(code="A"), version=draft.version, parent_code="A01")
    draft_items.update_item(actor=None, item=draft.items.get(code="A01"), version=draft.version, parent_code="B")
    levels = dict(draft.items.values_list("code", "level"))
    assert levels == {"A": 1, "B": 1, "A01": 2, "A0101": 3, "A010101": 4}
    draft.refresh_from_db()
    with pytest.raises(ValidationFailed):
        draft_items.remove_item(actor=None, item=draft.items.get(code="A01"), version=draft.version)
    with pytest.raises(ValidationFailed):
        draft_items.add_item(actor=None, catalog=draft, version=draft.version, code="A01", name_zh="重复")


@pytest.mark.parametrize("name", ["劳务派遣服务", "社区公益性岗位开发", "项目融资咨询", "行政许可初审"])
def test_negative_list_refuses_items(world, name):
    draft = small_draft(world.city, world.city_finance)
    with pytest.raises(ValidationFailed) as exc:
        draft_items.add_item(
            actor=world.city_finance, catalog=draft, version=draft.version, code="N1", parent_code="A", name_zh=name
        )
    assert exc.value.code == "negative_list"
    with pytest.raises(ValidationFailed) as exc:
        draft_items.update_item(
            actor=world.city_finance, item=draft.items.get(code="A01"), version=draft.version, name_zh=name
        )
    assert exc.value.code == "negative_list"
    assert "102号" in str(exc.value.fields["name_zh"][0])


def test_publication_refuses_items_caught_by_a_new_matter(world):
    draft = small_draft(world.city, world.city_finance)
    negative_list.add_matter(
        actor=world.city_finance, code="LOCAL-1", name_zh="居家养老", legal_basis_zh="测试依据", terms_zh="居家养老"
    )
    with pytest.raises(ValidationFailed) as exc:
        versions.publish_version(actor=world.city_finance, catalog=draft, version=draft.version, effective_from=TODAY)
    assert exc.value.code == "negative_list"
    assert CatalogVersion.objects.get(pk=draft.pk).status == "draft"


def test_publication_date_rules(world):
    draft = small_draft(world.city, world.city_finance)
    with pytest.raises(ValidationFailed):
        versions.publish_version(
            actor=world.city_finance,
            catalog=draft,
            version=draft.version,
            effective_from=TODAY - datetime.timedelta(days=1),
        )
    empty = versions.create_draft(actor=world.district_finance_a, region=world.district_a, title_zh="空", empty=True)
    with pytest.raises(ValidationFailed) as exc:
        versions.publish_version(
            actor=world.district_finance_a, catalog=empty, version=empty.version, effective_from=TODAY
        )
    assert exc.value.code == "empty_catalog"


def test_permissions_of_services(world, demo_catalog):
    draft = small_draft(world.city, world.city_finance)
    # The district bureau owns only its district; a staffing officer comments but does not edit.
    with pytest.raises(NotFound):
        draft_items.add_item(
            actor=world.district_finance_a, catalog=draft, version=draft.version, code="Z", name_zh="z"
        )
    with pytest.raises(PermissionRefused):
        draft_items.add_item(actor=world.staffing, catalog=draft, version=draft.version, code="Z", name_zh="z")
    with pytest.raises(PermissionRefused):
        versions.create_draft(actor=world.district_finance_a, region=world.city, title_zh="越权")
    with pytest.raises(PermissionRefused):
        versions.create_draft(actor=world.city_finance, region=world.district_a, title_zh="越权")
    with pytest.raises(PermissionRefused):
        negative_list.add_matter(actor=world.district_finance_a, code="X1", name_zh="x", legal_basis_zh="y")
    comment = versions.comment_on_draft(
        actor=world.staffing, catalog=draft, body="A01 与机构编制有关，请核实。", item_code="A01"
    )
    assert comment.organisation == world.staffing_org
    with pytest.raises(NotFound):
        versions.comment_on_draft(actor=world.purchaser_a, catalog=draft, body="x")
    district_v1 = demo_catalog["district"]
    with pytest.raises(PermissionRefused):
        filings.submit_filing(actor=world.district_finance_b, catalog=district_v1)
    filing = district_v1.filings.get()
    with pytest.raises(NotFound):
        filings.acknowledge_filing(actor=world.district_finance_b, filing=filing, version=filing.version)
    with pytest.raises(PermissionRefused):
        filings.acknowledge_filing(actor=world.district_finance_a, filing=filing, version=filing.version)


def test_filing_flow_and_history(world, demo_catalog, events):
    district_v1 = demo_catalog["district"]
    filing = district_v1.filings.get()
    assert filing.diff["counts"]["added"] == 3
    assert filing.city_version == demo_catalog["city"]
    with pytest.raises(Conflict):
        filings.submit_filing(actor=world.district_finance_a, catalog=district_v1)
    with pytest.raises(ValidationFailed):
        filings.return_filing(actor=world.city_finance, filing=filing, version=filing.version, comment=" ")
    returned = filings.return_filing(
        actor=world.city_finance, filing=filing, version=filing.version, comment="请说明A05-DC02与市级A05的区别。"
    )
    assert returned.status == "returned"
    assert selectors.returned_filings(world.district_finance_a)[1] == 1
    with pytest.raises(TransitionRefused):
        filings.acknowledge_filing(actor=world.city_finance, filing=filing, version=returned.version)
    again = filings.submit_filing(actor=world.district_finance_a, catalog=district_v1, note="已补充说明。")
    assert selectors.returned_filings(world.district_finance_a)[1] == 0
    assert selectors.filings_waiting(world.city_finance)[1] == 1
    done = filings.acknowledge_filing(actor=world.city_finance, filing=again, version=again.version)
    assert done.status == "acknowledged"
    assert [e.action for e in selectors.filing_history(again)] == [
        "catalog.filing.submitted",
        "catalog.filing.acknowledged",
    ]
    with pytest.raises(Conflict):
        filings.submit_filing(actor=world.district_finance_a, catalog=district_v1)
    with pytest.raises(PermissionRefused):  # the city's own catalog is not filed
        filings.submit_filing(actor=world.city_finance, catalog=demo_catalog["city"])


def test_is_purchasable(world, demo_catalog):
    city_v1, district_v1 = demo_catalog["city"], demo_catalog["district"]
    a05 = city_v1.items.get(code="A05")
    local = district_v1.items.get(code="A05-DC01")
    assert selectors.is_purchasable(a05, world.city).code == "in_catalog"
    # Dongcheng has its own catalog (city items plus local ones); Chaoyang follows the city.
    assert selectors.is_purchasable(local, world.district_a).allowed
    outside = selectors.is_purchasable(local, world.district_b)
    assert (outside.allowed, outside.needs_approval, outside.code) == (False, True, "outside_catalog")
    assert selectors.is_purchasable(local, world.district_b, approved_outside_catalog=True).allowed
    before = selectors.is_purchasable(a05, world.city, datetime.date(2014, 1, 1))
    assert before.code == "outside_catalog"
    assert before.version_id is None
    # An item caught by a matter added later is refused with the matter's legal basis.
    negative_list.add_matter(
        actor=world.city_finance, code="LOCAL-2", name_zh="养老", legal_basis_zh="市财政局通知", terms_zh=["基本养老"]
    )
    refused = selectors.is_purchasable(a05, world.city)
    assert (refused.allowed, refused.code, refused.matter_code, refused.legal_basis) == (
        False,
        "negative_list",
        "LOCAL-2",
        "市财政局通知",
    )


def test_negative_matter_maintenance_is_versioned_and_audited(world, events):
    matter = NegativeListMatter.objects.get(code="ART10-4")
    updated = negative_list.update_matter(
        actor=world.city_finance, matter=matter, version=matter.version, terms_zh="融资, 贷款, 借款, 担保"
    )
    assert updated.terms_zh == ["融资", "贷款", "借款", "担保"]
    with pytest.raises(Conflict):
        negative_list.update_matter(actor=world.city_finance, matter=matter, version=matter.version, is_active=False)
    with pytest.raises(ValidationFailed):
        negative_list.update_matter(actor=world.city_finance, matter=matter, version=updated.version, terms_zh="融")
    assert events("catalog.negative_matter.changed")[0].changes["terms_zh"][1][-1] == "担保"


def test_every_audit_code_has_a_sentence(world, demo_catalog):
    from govbuy.audit.models import AuditEvent

    codes = set(AuditEvent.objects.filter(action__startswith="catalog.").values_list("action", flat=True))
    assert {"catalog.version.imported", "catalog.version.published", "catalog.filing.submitted"} <= codes
    expected = {
        "catalog.version.drafted",
        "catalog.version.updated",
        "catalog.version.imported",
        "catalog.import.queued",
        "catalog.version.published",
        "catalog.version.superseded",
        "catalog.version.discarded",
        "catalog.item.added",
        "catalog.item.changed",
        "catalog.item.removed",
        "catalog.comment.added",
        "catalog.filing.submitted",
        "catalog.filing.acknowledged",
        "catalog.filing.returned",
        "catalog.negative_matter.added",
        "catalog.negative_matter.changed",
    }
    assert expected <= registered_codes()
    for event in AuditEvent.objects.filter(action__startswith="catalog."):
        sentence = describe(event)
        assert "…" not in sentence, (event.action, sentence)
        assert event.action not in sentence, (event.action, sentence)


def test_traditional_name_computed_at_write(world):
    draft = small_draft(world.city, world.city_finance)
    assert draft.items.get(code="A01").name_zh_hant == "養老服務"
