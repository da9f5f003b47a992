"""Public consultations on pages: the staff open one, moderate comments and publish the summary;
the public read the draft and comment without JavaScript (rate-limited, honeypot); outsiders get
404; list query counts do not grow with rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from govbuy.audit.models import AuditEvent
from govbuy.catalog.models import CatalogVersion
from govbuy.performance import home
from govbuy.performance.models import ConsultationComment, PublicConsultation
from govbuy.performance.services import consultations

pytestmark = pytest.mark.django_db


def open_plan(world, *, hours=48, title="东城区民政局2027年度购买服务计划（征求意见稿）"):
    now = timezone.now()
    return consultations.open_consultation(
        actor=world.purchaser_a,
        subject="annual_plan",
        fiscal_year=2027,
        title=title,
        description="拟购买居家养老上门服务、社区助餐服务等事项。",
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=hours),
    )


def comment(consultation, n=0):
    return consultations.submit_comment(consultation=consultation, message=f"建议{n}", client_address=f"10.3.0.{n}")


class TestStaff:
    def test_the_purchaser_opens_a_draft_plan_on_the_page(self, world, login):
        client = login(world.purchaser_a)
        today = timezone.localdate()
        page = client.post(
            reverse("performance:consultation-new"),
            {
                "subject": "annual_plan",
                "fiscal_year": "2027",
                "title": "2027年度购买服务计划（征求意见稿）",
                "description": "拟购买居家养老上门服务。",
                "opens_on": today.isoformat(),
                "closes_on": (today + timedelta(days=14)).isoformat(),
            },
        )
        created = PublicConsultation.objects.get()
        assert page.status_code == 302
        assert page["Location"] == reverse("performance:consultation", args=[created.pk])
        assert created.owner == world.purchaser_a_org
        assert AuditEvent.objects.filter(action="performance.consultation.opened").count() == 1

    def test_a_period_ending_before_it_begins_is_refused_on_its_field(self, world, login):
        client = login(world.purchaser_a)
        today = timezone.localdate()
        page = client.post(
            reverse("performance:consultation-new"),
            {
                "subject": "annual_plan",
                "fiscal_year": "2027",
                "title": "计划",
                "description": "说明",
                "opens_on": (today + timedelta(days=10)).isoformat(),
                "closes_on": (today + timedelta(days=2)).isoformat(),
            },
        )
        assert page.status_code == 400
        assert "截止时间须晚于开始时间" in page.content.decode()
        assert not PublicConsultation.objects.exists()

    def test_a_finance_bureau_opens_only_a_draft_catalog_of_its_region(self, world, login):
        published = CatalogVersion.objects.create(
            region=world.city,
            number=1,
            status="published",
            effective_from=timezone.localdate(),
            published_at=timezone.now(),
        )
        other = CatalogVersion.objects.create(region=world.district_b, number=1, status="draft")
        draft = CatalogVersion.objects.create(region=world.city, number=2, status="draft")
        client = login(world.city_finance)
        today = timezone.localdate()
        body = {
            "subject": "catalog",
            "title": "北京市政府购买服务指导性目录（征求意见稿）",
            "description": "新增社区心理服务。",
            "opens_on": today.isoformat(),
            "closes_on": (today + timedelta(days=14)).isoformat(),
        }
        for refused in (published, other):
            page = client.post(reverse("performance:consultation-new"), {**body, "catalog_version": refused.pk})
            assert page.status_code == 400
        assert not PublicConsultation.objects.exists()
        page = client.post(reverse("performance:consultation-new"), {**body, "catalog_version": draft.pk})
        assert page.status_code == 302
        assert PublicConsultation.objects.get().catalog_version == draft

    def test_moderate_then_publish_the_summary(self, world, login):
        consultation = open_plan(world)
        first, second = comment(consultation, 1), comment(consultation, 2)
        client = login(world.purchaser_a)
        url = reverse("performance:consultation", args=[consultation.pk])
        assert "建议1" in client.get(url).content.decode()
        client.post(reverse("performance:consultation-comment", args=[first.pk, "publish"]), {"version": first.version})
        client.post(
            reverse("performance:consultation-comment", args=[second.pk, "reject"]),
            {"version": second.version, "reason": "与本计划无关"},
        )
        assert dict(ConsultationComment.objects.values_list("pk", "status")) == {
            first.pk: "published",
            second.pk: "rejected",
        }
        PublicConsultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
        done = client.post(
            reverse("performance:consultation-summary", args=[consultation.pk]),
            {"version": consultation.version, "received": "共收到意见2条。", "changed": "增加助浴服务。"},
        )
        assert done.status_code == 302
        consultation.refresh_from_db()
        assert consultation.status == "summarised"
        public = login(world.outsider).get(reverse("performance-public:consultation", args=[consultation.pk]))
        assert "共收到意见2条。" in public.content.decode()

    def test_a_published_comment_can_be_taken_down_but_a_rejected_one_stays(self, world, login, client):
        consultation = open_plan(world)
        shown = comment(consultation)
        staff = login(world.purchaser_a)
        staff.post(reverse("performance:consultation-comment", args=[shown.pk, "publish"]), {"version": 1})
        public_url = reverse("performance-public:consultation", args=[consultation.pk])
        assert "建议0" in client.get(public_url).content.decode()
        staff.post(
            reverse("performance:consultation-comment", args=[shown.pk, "reject"]),
            {"version": 2, "reason": "含有个人信息"},
        )
        shown.refresh_from_db()
        assert shown.status == "rejected"
        assert "建议0" not in client.get(public_url).content.decode()
        again = staff.post(
            reverse("performance:consultation-comment", args=[shown.pk, "publish"]), {"version": 3}, follow=True
        )
        assert "该意见已审核" in again.content.decode()
        shown.refresh_from_db()
        assert shown.status == "rejected"

    def test_a_rejection_needs_a_reason(self, world, login):
        consultation = open_plan(world)
        pending = comment(consultation)
        client = login(world.purchaser_a)
        page = client.post(
            reverse("performance:consultation-comment", args=[pending.pk, "reject"]),
            {"version": pending.version, "reason": " "},
            follow=True,
        )
        assert "请填写 1 至 2000 个字符" in page.content.decode()
        pending.refresh_from_db()
        assert pending.status == "pending"

    @pytest.mark.parametrize("persona", ["outsider", "purchaser_b", "provider_a", "evaluator", "city_finance"])
    def test_outsiders_get_404(self, world, login, persona):
        consultation = open_plan(world)
        pending = comment(consultation)
        client = login(getattr(world, persona))
        assert client.get(reverse("performance:consultation", args=[consultation.pk])).status_code == 404
        moderate = reverse("performance:consultation-comment", args=[pending.pk, "publish"])
        assert client.post(moderate, {"version": pending.version}).status_code == 404
        summary = reverse("performance:consultation-summary", args=[consultation.pk])
        assert client.post(summary, {"version": 1, "received": "x"}).status_code == 404
        pending.refresh_from_db()
        assert pending.status == "pending"

    def test_list_query_count_does_not_grow(self, world, login, django_assert_num_queries):
        client = login(world.purchaser_a)
        open_plan(world)
        url = reverse("performance:consultations")
        client.get(url)
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200
        for n in range(8):
            comment(open_plan(world, title=f"计划{n}"), n)
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200

    def test_the_home_section_shows_comments_waiting(self, world, rf):
        consultation = open_plan(world)
        request = rf.get("/workspace/")
        request.user = world.purchaser_a
        assert home.consultations_section(request) is None
        comment(consultation)
        section = home.consultations_section(request)
        assert section["items"][0]["url"] == reverse("performance:consultation", args=[consultation.pk])
        request.user = world.purchaser_b
        assert home.consultations_section(request) is None


class TestPublic:
    def test_read_and_comment_without_javascript(self, client, world):
        consultation = open_plan(world)
        url = reverse("performance-public:consultation", args=[consultation.pk])
        page = client.get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "拟购买居家养老上门服务" in html
        form = html.split('id="comment-form"')[1].split("</form>")[0]
        assert "<script" not in form
        assert '<label for="id_message">' in form
        sent = client.post(
            reverse("performance-public:consultation-comment", args=[consultation.pk]),
            {"name": "王女士", "message": "建议增加助浴服务。"},
        )
        assert sent.status_code == 302
        assert ConsultationComment.objects.get().status == "pending"
        # not shown before moderation
        assert "建议增加助浴服务" not in client.get(url).content.decode()

    def test_an_empty_comment_is_refused_in_chinese(self, client, world):
        consultation = open_plan(world)
        page = client.post(
            reverse("performance-public:consultation-comment", args=[consultation.pk]), {"message": "  "}
        )
        assert page.status_code == 400
        assert 'role="alert"' in page.content.decode()
        assert "请填写 1 至 2000 个字符" in page.content.decode()
        assert not ConsultationComment.objects.exists()

    def test_comments_are_rate_limited(self, client, world):
        consultation = open_plan(world)
        url = reverse("performance-public:consultation-comment", args=[consultation.pk])
        for n in range(5):
            assert client.post(url, {"message": f"意见{n}"}).status_code == 302
        refused = client.post(url, {"message": "再一条"})
        assert refused.status_code == 429
        assert 3500 < int(refused["Retry-After"]) <= 3600
        assert "您在一小时内已提交多条意见" in refused.content.decode()
        assert ConsultationComment.objects.count() == 5

    def test_the_honeypot_stores_nothing(self, client, world):
        consultation = open_plan(world)
        url = reverse("performance-public:consultation-comment", args=[consultation.pk])
        assert client.post(url, {"message": "广告", "website": "http://spam.example"}).status_code == 302
        assert not ConsultationComment.objects.exists()

    def test_after_the_period_there_is_no_form_and_a_post_is_refused(self, client, world):
        consultation = open_plan(world)
        PublicConsultation.objects.filter(pk=consultation.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
        page = client.get(reverse("performance-public:consultation", args=[consultation.pk])).content.decode()
        assert 'id="comment-form"' not in page
        late = client.post(
            reverse("performance-public:consultation-comment", args=[consultation.pk]), {"message": "晚了"}
        )
        assert late.status_code == 409
        assert not ConsultationComment.objects.exists()

    def test_a_consultation_not_yet_open_is_not_public(self, client, world):
        now = timezone.now()
        later = consultations.open_consultation(
            actor=world.purchaser_a,
            subject="annual_plan",
            fiscal_year=2027,
            title="将来",
            description="d",
            opens_at=now + timedelta(days=2),
            closes_at=now + timedelta(days=9),
        )
        assert client.get(reverse("performance-public:consultation", args=[later.pk])).status_code == 404

    def test_the_public_list_query_count_does_not_grow(self, client, world, django_assert_num_queries):
        open_plan(world)
        url = reverse("performance-public:consultations")
        with django_assert_num_queries(2):
            assert client.get(url).status_code == 200
        for n in range(8):
            open_plan(world, title=f"计划{n}")
        with django_assert_num_queries(2):
            assert client.get(url).status_code == 200


def test_the_comment_lists_query_counts_do_not_grow(world, login, django_assert_num_queries):
    from django.test import Client

    consultation = open_plan(world)
    staff = login(world.purchaser_a)
    public = Client()
    staff_url = reverse("performance:consultation", args=[consultation.pk])
    public_url = reverse("performance-public:consultation", args=[consultation.pk])

    def add(n):
        made = comment(consultation, n)
        consultations.moderate_comment(actor=world.purchaser_a, comment=made, version=made.version, publish=True)
        comment(consultation, n + 100)

    add(1)
    staff.get(staff_url)
    counts = []
    for _round in range(2):
        with django_assert_num_queries(6) as staff_queries:
            assert staff.get(staff_url).status_code == 200
        with django_assert_num_queries(3) as public_queries:
            assert public.get(public_url).status_code == 200
        counts.append((len(staff_queries), len(public_queries)))
        for n in range(2, 8):
            add(n)
    assert counts[0] == counts[1]
