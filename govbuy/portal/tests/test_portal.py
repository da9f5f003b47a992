"""The public portal: the home page at / with the latest notices, one page per public project with
its history from plan to award (and its API twins), search entries for projects and notices, and
query counts that do not grow with rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from govbuy.disclosure import ocds
from govbuy.disclosure.models import SearchDocument
from govbuy.disclosure.services import reindex_search
from govbuy.planning.models import AnnualPlan
from govbuy.procurement.models import Tender
from tests.builders.procurement import CRITERIA, awarded_tender

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


# --- Home ------------------------------------------------------------------------------------------


def test_the_root_is_the_public_portal_and_the_staff_home_moved_to_workspace(client, world, login):
    response = client.get("/")
    assert response.status_code == 200
    page = text(response)
    assert 'id="portal-search"' in page
    for link in ('href="/tenders/"', 'href="/plans/"', 'href="/catalog/"', 'href="/providers/directory/"'):
        assert link in page
    assert 'href="/ocds/"' in page
    assert client.get("/workspace/").status_code == 302
    # Every page's header links the public pages, for the public too.
    plans = text(client.get("/plans/"))
    assert 'id="public-nav"' in plans
    assert 'href="/plans/" aria-current="page"' in plans
    staff = login(world.purchaser_a).get("/workspace/")
    assert staff.status_code == 200
    assert 'id="portal-search"' not in text(staff)


def test_the_home_lists_the_latest_notices_with_beijing_time(client, world, noticed):
    plan = AnnualPlan.objects.get()
    moment = dt.datetime(2027, 1, 5, 16, 30, tzinfo=dt.UTC)  # 00:30 on the 6th in Beijing
    Tender.objects.filter(pk=noticed.pk).update(published_at=moment)
    page = text(client.get("/"))
    assert f'id="latest-tender-{noticed.pk}"' in page
    assert noticed.reference in page
    assert "2027-01-06 00:30" in page
    assert f'href="/projects/{noticed.project_id}/"' in page
    assert f'id="latest-plan-{plan.pk}"' in page
    assert f'href="/plans/versions/{plan.pk}/"' in page
    english = text(client.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert "Latest tender notices" in english
    assert 'lang="en"' in english


def test_the_home_shows_awards_newest_first(client, world, noticed):
    award = awarded_tender(world, noticed).award
    page = text(client.get("/"))
    assert f'id="latest-award-{award.pk}"' in page
    assert award.provider.name_zh in page
    assert str(award.amount) in page
    data = client.get("/api/v1/portal/").json()
    assert [a["id"] for a in data["awards"]] == [award.pk]
    assert data["tenders"][0]["project_url"] == f"/projects/{noticed.project_id}/"
    assert data["plans"][0]["url"].startswith("/plans/versions/")


def _more_tenders(world, project, count):
    """Published notices made directly: the home page's query count must not grow with them."""
    now = timezone.now()
    method = Tender.objects.first().method
    Tender.objects.bulk_create(
        Tender(
            project=project,
            purchaser=world.purchaser_a_org,
            region=world.district_a,
            method=method,
            reference=f"T-EXTRA-{i}",
            title=f"养老服务 {i}",
            description="-",
            budget=Decimal("1000.00"),
            bid_deadline=now + dt.timedelta(days=30),
            status="published",
            published_at=now - dt.timedelta(minutes=i),
            wrapped_key=b"-",
        )
        for i in range(count)
    )


def _more_plans(world, count):
    AnnualPlan.objects.bulk_create(
        AnnualPlan(
            purchaser=world.purchaser_b_org,
            region=world.district_b,
            fiscal_year=2000 + i,
            number=1,
            total=Decimal("1.00"),
            published_at=timezone.now(),
        )
        for i in range(count)
    )


@pytest.mark.parametrize("url", ["/", "/api/v1/portal/"])
def test_the_home_query_count_does_not_grow_with_rows(client, world, noticed, django_assert_num_queries, url):
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200
    _more_tenders(world, noticed.project, 12)
    _more_plans(world, 12)
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


# --- Project page ----------------------------------------------------------------------------------


def test_a_project_page_exists_only_once_the_project_is_public(client, world, approved, providers):
    url = f"/projects/{approved.pk}/"
    assert client.get(url).status_code == 404
    assert client.get(f"/api/v1/portal/projects/{approved.pk}/").status_code == 404
    # A drafted (unpublished) tender does not make it public either.
    from govbuy.procurement.services import tenders

    tender = tenders.create_tender(
        actor=world.purchaser_a,
        project=approved,
        bid_deadline=timezone.now() + dt.timedelta(days=40),
        criteria=CRITERIA,
    )
    assert client.get(url).status_code == 404
    tenders.publish_tender(actor=world.purchaser_a, tender=tender, version=tender.version)
    assert client.get(url).status_code == 200
    assert client.get("/projects/999999/").status_code == 404
    body = client.get("/api/v1/portal/projects/999999/").json()
    assert body["code"] == "project_not_found"


def test_the_project_page_after_the_plan_shows_the_plan_and_links_the_record(client, planned):
    page = text(client.get(f"/projects/{planned.pk}/"))
    assert planned.title in page
    assert 'id="history-plan-' in page
    ocid = ocds.ocid_for(planned.reference)
    assert f'href="/ocds/records/{ocid}"' in page
    assert client.get(f"/ocds/records/{ocid}").status_code == 200
    assert "history-tender" not in page


def test_before_the_opening_nothing_about_bids_shows(client, world, noticed):
    from govbuy.procurement.services import bids

    bids.submit_bid(actor=world.provider_a, tender=noticed, provider=world.provider_a_org, price="98765.43")
    for url in (f"/projects/{noticed.project_id}/", f"/api/v1/portal/projects/{noticed.project_id}/"):
        response = client.get(url)
        assert response.status_code == 200
        body = text(response)
        assert "98765.4" not in body
        assert "opening" not in body.replace("opening-", "")  # no opening step or count
        assert f"tender-{noticed.pk}" in body


def test_the_whole_history_from_plan_to_award_in_order(client, world, noticed):
    award = awarded_tender(world, noticed).award
    response = client.get(f"/projects/{noticed.project_id}/", HTTP_ACCEPT_LANGUAGE="en")
    page = text(response)
    anchors = [
        'id="history-plan-',
        f'id="history-tender-{noticed.pk}"',
        f'id="history-opening-{noticed.pk}"',
        f'id="history-evaluation-{noticed.pk}"',
        f'id="history-award-{award.pk}"',
    ]
    positions = [page.index(anchor) for anchor in anchors]
    assert positions == sorted(positions)
    assert "2 bids were opened." in page
    assert f"awarded to {world.provider_a_org.name_en}" in page or f"awarded to {award.provider.name_zh}" in page
    data = client.get(f"/api/v1/portal/projects/{noticed.project_id}/").json()
    kinds = [event["kind"] for event in data["events"]]
    assert kinds == ["plan", "tender", "opening", "evaluation", "award"]
    assert data["events"][2]["facts"]["bids"] == 2
    assert data["events"][4]["facts"]["amount"] == str(award.amount)
    assert data["ocds_record"] == f"/ocds/records/{ocds.ocid_for(noticed.project.reference)}"


@pytest.mark.skipif(
    "Clarification" not in {m.__name__ for m in apps.get_app_config("procurement").get_models()},
    reason="procurement has no clarifications yet",
)
def test_published_clarifications_show_without_their_asker(client, world, noticed):
    model = apps.get_model("procurement", "Clarification")
    model.objects.create(
        tender=noticed, answer="服务范围包括东城区全部街道。", answered_at=timezone.now(), answered_by=world.purchaser_a
    )
    page = text(client.get(f"/projects/{noticed.project_id}/"))
    assert "服务范围包括东城区全部街道。" in page
    assert 'class="history-clarification"' in page


def test_the_project_page_query_count_does_not_grow_with_rows(client, world, noticed, django_assert_num_queries):
    from govbuy.portal.models import Feedback

    def comments(count):
        Feedback.objects.bulk_create(
            Feedback(
                project=noticed.project,
                purchaser=world.purchaser_a_org,
                message=f"意见{i}",
                status="published",
                submitted_at=timezone.now(),
                moderated_at=timezone.now(),
                client_key="k",
            )
            for i in range(count)
        )

    url = f"/projects/{noticed.project_id}/"
    awarded_tender(world, noticed)
    comments(1)
    # project, plan entries, tenders, clarifications, openings, evaluations, awards, contracts, the
    # record's existence, the comments (count + page), the published performance evaluations, and
    # one per registered public panel (oversight's published monitoring conclusions)
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200
    comments(30)
    with django_assert_num_queries(13):
        assert client.get(url).status_code == 200


def test_the_project_api_query_count_does_not_grow(client, world, noticed, django_assert_num_queries):
    awarded_tender(world, noticed)
    # project, plan entries, tenders, clarifications, openings, evaluations, awards, contracts, the
    # record's existence and one per registered public panel (no comments, no evaluations list)
    with django_assert_num_queries(10):
        assert client.get(f"/api/v1/portal/projects/{noticed.project_id}/").status_code == 200


# --- Search ----------------------------------------------------------------------------------------


def test_public_projects_and_notices_are_found_and_link_to_their_pages(client, world, noticed):
    project_entry = SearchDocument.objects.get(object_type="planning.project", object_id=noticed.project_id)
    assert project_entry.url == f"/projects/{noticed.project_id}/"
    assert project_entry.kind == "project"
    notice = SearchDocument.objects.get(object_type="procurement.tender", object_id=noticed.pk)
    assert notice.url == f"/tenders/{noticed.pk}/"
    # Traditional characters find the Simplified title.
    page = text(client.get("/search/", {"q": "養老", "kind": "project"}))
    assert f'href="/projects/{noticed.project_id}/"' in page
    reindex_search(object_types=["planning.project", "procurement.tender"])
    assert SearchDocument.objects.filter(object_type="planning.project", object_id=noticed.project_id).exists()


def test_a_project_that_is_not_public_is_not_found(client, approved):
    reindex_search(object_types=["planning.project"])
    assert not SearchDocument.objects.filter(object_type="planning.project").exists()
