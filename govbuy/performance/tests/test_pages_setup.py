"""Pages: opening a survey from a template (codes printed once), commissioning a third-party
evaluator (refusals on the form) and the evaluator's own workspace, template versions (weights
summing to 100 said on each weight) and key-project thresholds (city finance only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from govbuy.core.errors import ValidationFailed
from govbuy.core.tests.test_uploads import make_pdf
from govbuy.performance.models import (
    IndicatorTemplate,
    Invitation,
    KeyProjectThreshold,
    Survey,
    ThirdPartyCommission,
)
from govbuy.performance.services import commissions, rounds, surveys
from govbuy.providers.models import RelatedParty
from tests.builders.performance import INDICATORS, make_contract

pytestmark = pytest.mark.django_db


class TestSurveyOpening:
    def test_open_from_a_template_and_print_the_codes_once(self, world, template, contract, login):
        client = login(world.purchaser_a)
        assert client.get(reverse("performance:survey-new")).status_code == 200
        closes = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
        sheet = client.post(
            reverse("performance:survey-new"),
            {"contract": contract.pk, "template": "elderly_care", "count": "4", "closes_on": closes},
        )
        assert sheet.status_code == 200
        assert sheet.content.decode().count('class="card"') == 4
        assert "no-store" in sheet["Cache-Control"]
        survey = Survey.objects.get()
        assert survey.questions[0] == "服务人员态度"
        assert Invitation.objects.filter(survey=survey).count() == 4
        listed = client.get(reverse("performance:surveys")).content.decode()
        assert f'id="survey-{survey.pk}"' in listed

    def test_bad_input_is_refused_in_chinese_and_nothing_is_written(self, world, template, contract, login):
        client = login(world.purchaser_a)
        past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
        page = client.post(
            reverse("performance:survey-new"),
            {"contract": contract.pk, "template": "general", "count": "5", "closes_on": past},
        )
        assert page.status_code == 400
        assert "调查截止时间须晚于现在" in page.content.decode()
        assert not Survey.objects.exists()
        # Too many codes: refused after the survey row was written, and that row is undone too.
        future = (timezone.localdate() + dt.timedelta(days=5)).isoformat()
        with pytest.raises(ValidationFailed):
            surveys.launch_survey(
                actor=world.purchaser_a,
                contract=contract,
                template="general",
                count=2001,
                closes_at=timezone.now() + dt.timedelta(days=5),
            )
        assert not Survey.objects.exists()
        page = client.post(
            reverse("performance:survey-new"),
            {"contract": contract.pk, "template": "no-such", "count": "5", "closes_on": future},
        )
        assert page.status_code == 400
        assert not Survey.objects.exists()

    @pytest.mark.parametrize("persona", ["provider_a", "evaluator", "outsider"])
    def test_only_a_purchaser_opens_surveys(self, world, login, persona):
        client = login(getattr(world, persona))
        assert client.get(reverse("performance:surveys")).status_code == 404
        assert client.get(reverse("performance:survey-new")).status_code == 404

    def test_another_purchasers_contract_cannot_be_chosen(self, world, template, contract, login):
        closes = (timezone.localdate() + dt.timedelta(days=20)).isoformat()
        page = login(world.purchaser_b).post(
            reverse("performance:survey-new"),
            {"contract": contract.pk, "template": "general", "count": "3", "closes_on": closes},
        )
        assert page.status_code == 400
        assert not Survey.objects.exists()

    def test_the_list_query_count_does_not_grow(self, world, template, contract, login, django_assert_num_queries):
        from tests.builders.performance import survey_with_answers

        client = login(world.purchaser_a)
        survey_with_answers(world, contract, n=1)
        url = reverse("performance:surveys")
        client.get(url)
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200
        for _i in range(4):
            survey_with_answers(world, contract, n=2)
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200


class TestCommissioning:
    def test_the_purchaser_commissions_and_the_evaluator_reports(self, world, template, contract, login):
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        client = login(world.purchaser_a)
        form_url = reverse("performance:round-commission", args=[obj.pk])
        assert 'id="commission-link"' in client.get(reverse("performance:round", args=[obj.pk])).content.decode()
        done = client.post(form_url, {"version": obj.version, "evaluator": world.evaluator_org.pk})
        assert done.status_code == 302
        commission = ThirdPartyCommission.objects.get()
        evaluator = login(world.evaluator)
        listed = evaluator.get(reverse("performance:commissions")).content.decode()
        assert f'id="commission-{commission.pk}"' in listed
        assert evaluator.get(reverse("performance:round", args=[obj.pk])).status_code == 200
        sent = evaluator.post(
            reverse("performance:commission-report", args=[commission.pk]),
            {"version": commission.version, "report": _upload("评估报告.pdf", make_pdf())},
        )
        assert sent.status_code == 302
        commission.refresh_from_db()
        assert commission.status == "reported"
        document = client.get(reverse("performance:commission-document", args=[commission.pk]))
        assert document.status_code == 200
        assert (
            login(world.purchaser_b).get(reverse("performance:commission-document", args=[commission.pk])).status_code
            == 404
        )

    def test_the_evaluator_enters_its_scores_on_the_round_page(self, world, template, contract, login, rf):
        from govbuy.performance import home

        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        commissions.commission(actor=world.purchaser_a, round=obj, version=obj.version, evaluator=world.evaluator_org)
        obj.refresh_from_db()
        indicator = obj.template.indicators.get(rule="graded", family="output_quality")
        client = login(world.evaluator)
        client.post(
            reverse("performance:round-action", args=[obj.pk, "scores"]),
            {"version": obj.version, f"i{indicator.pk}-value": "16", f"i{indicator.pk}-evidence": "抽查记录"},
        )
        assert obj.scores.get().by == "third_party"
        request = rf.get("/workspace/")
        request.user = world.evaluator
        section = home.reports_section(request)
        assert section["items"][0]["url"] == reverse(
            "performance:commission", args=[ThirdPartyCommission.objects.get().pk]
        )
        request.user = world.purchaser_a
        assert home.reports_section(request) is None

    def test_a_related_evaluator_is_refused_on_the_form(self, world, template, contract, login):
        a, b = sorted([world.evaluator_org.pk, world.provider_a_org.pk])
        RelatedParty.objects.create(first_id=a, second_id=b, basis="control")
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        page = login(world.district_finance_a).post(
            reverse("performance:round-commission", args=[obj.pk]),
            {"version": obj.version, "evaluator": world.evaluator_org.pk},
        )
        assert page.status_code == 400
        html = page.content.decode()
        assert "该评价机构与承接主体存在关联关系。" in html.split('id="commission-form"')[1]
        assert not ThirdPartyCommission.objects.exists()

    def test_a_repeat_within_two_years_is_refused_on_the_form(self, world, template, contract, project, login):
        first = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        commissions.commission(
            actor=world.purchaser_a, round=first, version=first.version, evaluator=world.evaluator_org
        )
        second = rounds.open_round(actor=world.purchaser_a, contract=make_contract(world, project), kind="final")
        page = login(world.purchaser_a).post(
            reverse("performance:round-commission", args=[second.pk]),
            {"version": second.version, "evaluator": world.evaluator_org.pk},
        )
        assert page.status_code == 400
        form = page.content.decode().split('id="commission-form"')[1]
        assert "近 2 年内已为本购买主体评价过该承接主体的合同" in form
        assert ThirdPartyCommission.objects.count() == 1

    def test_a_banned_evaluator_is_refused_on_the_form(self, world, template, contract, login):
        from govbuy.providers.models import ProviderProfile
        from govbuy.providers.services import restrictions

        ProviderProfile.objects.create(
            organisation=world.evaluator_org,
            state=ProviderProfile.State.VERIFIED,
            verified_at=timezone.now(),
            authority_kind="market_regulation",
            registration_authority="北京市市场监督管理局",
            legal_representative="王评",
            legal_representative_key="k",
            registered_address="北京市东城区",
            registration_date=dt.date(2015, 1, 1),
            contact_name="王评",
            contact_phone="010-12345678",
        )
        restrictions.impose_restriction(
            actor=world.city_finance,
            organisation_id=world.evaluator_org.pk,
            kind="ban",
            starts_at=timezone.now(),
            ends_at=timezone.now() + dt.timedelta(days=365),
            legal_basis="《政府采购法》第七十七条",
            reason="提供虚假材料",
            authority=world.orgs["city_finance_org"],
        )
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        page = login(world.purchaser_a).post(
            reverse("performance:round-commission", args=[obj.pk]),
            {"version": obj.version, "evaluator": world.evaluator_org.pk},
        )
        assert page.status_code == 409
        assert "第七十七条" in page.content.decode().split('id="commission-form"')[1]
        assert not ThirdPartyCommission.objects.exists()

    @pytest.mark.parametrize("persona", ["provider_a", "purchaser_b", "evaluator", "outsider"])
    def test_outsiders_cannot_commission(self, world, template, contract, login, persona):
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        client = login(getattr(world, persona))
        url = reverse("performance:round-commission", args=[obj.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {"version": obj.version, "evaluator": world.evaluator_org.pk}).status_code == 404
        assert not ThirdPartyCommission.objects.exists()

    def test_an_evaluator_sees_only_its_commissions(self, world, template, contract, project, login):
        obj = rounds.open_round(actor=world.purchaser_a, contract=contract, kind="final")
        commission = commissions.commission(
            actor=world.purchaser_a, round=obj, version=obj.version, evaluator=world.evaluator_org
        )
        other = rounds.open_round(actor=world.purchaser_a, contract=make_contract(world, project), kind="final")
        client = login(world.evaluator)
        assert client.get(reverse("performance:round", args=[other.pk])).status_code == 404
        assert client.get(reverse("performance:commission", args=[commission.pk])).status_code == 200
        for persona in ("purchaser_a", "provider_a", "outsider"):
            url = reverse("performance:commission", args=[commission.pk])
            assert login(getattr(world, persona)).get(url).status_code == 404

    def test_the_evaluators_list_query_count_does_not_grow(
        self, world, template, project, login, django_assert_num_queries
    ):
        def commissioned():
            obj = rounds.open_round(actor=world.purchaser_a, contract=make_contract(world, project), kind="final")
            ThirdPartyCommission.objects.create(
                contract=obj.contract,
                round=obj,
                evaluator=world.evaluator_org,
                commissioned_by=world.purchaser_a_org,
            )

        commissioned()
        client = login(world.evaluator)
        url = reverse("performance:commissions")
        client.get(url)
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200
        for _i in range(4):
            commissioned()
        with django_assert_num_queries(5):
            assert client.get(url).status_code == 200


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _rows(indicators, weights=None):
    data = {"ind-TOTAL_FORMS": str(len(indicators)), "ind-INITIAL_FORMS": "0"}
    for n, row in enumerate(indicators):
        for key, value in row.items():
            data[f"ind-{n}-{key}"] = value
        if weights is not None:
            data[f"ind-{n}-weight"] = weights[n]
    return data


class TestTemplatesAndThresholds:
    HEAD = {"category_code": "A06", "category_name": "社区社会工作服务", "effective_from": "2027-01-01"}

    def test_city_finance_saves_a_new_version(self, world, template, login):
        client = login(world.city_finance)
        assert client.get(reverse("performance:template-new") + f"?from={template.pk}").status_code == 200
        done = client.post(reverse("performance:template-new"), {**self.HEAD, **_rows(INDICATORS)})
        assert done.status_code == 302
        created = IndicatorTemplate.objects.get(category_code="A06")
        assert created.indicators.count() == len(INDICATORS)

    def test_weights_not_summing_to_100_are_marked_on_each_weight(self, world, login):
        client = login(world.city_finance)
        weights = ["30", "20", "10", "10", "10", "10"]
        page = client.post(reverse("performance:template-new"), {**self.HEAD, **_rows(INDICATORS, weights)})
        assert page.status_code == 400
        html = page.content.decode()
        for n in range(len(INDICATORS)):
            assert "模板各指标权重之和须为 100，当前为 90" in html.split(f'id="id_ind-{n}-weight-errors"')[1][:300]
        assert not IndicatorTemplate.objects.exists()

    def test_a_bad_number_is_refused_on_its_row(self, world, login):
        client = login(world.city_finance)
        weights = ["30", "20", "10", "10", "十", "20"]
        page = client.post(reverse("performance:template-new"), {**self.HEAD, **_rows(INDICATORS, weights)})
        assert page.status_code == 400
        assert 'id="id_ind-4-weight-errors"' in page.content.decode()
        assert not IndicatorTemplate.objects.exists()

    def test_thresholds_with_effective_dates(self, world, login, django_assert_num_queries):
        client = login(world.city_finance)
        url = reverse("performance:thresholds")
        assert client.post(url, {"effective_from": "2027-01-01", "amount": "3,000,000"}).status_code == 302
        assert client.post(url, {"effective_from": "2027-01-01", "amount": "0"}).status_code == 400
        assert KeyProjectThreshold.objects.get().amount == Decimal("3000000.00")
        client.get(url)
        with django_assert_num_queries(4):
            page = client.get(url)
        assert "3,000,000.00" in page.content.decode()
        client.post(url, {"effective_from": "2028-01-01", "amount": "4000000"})
        with django_assert_num_queries(4):
            client.get(url)

    @pytest.mark.parametrize("persona", ["district_finance_a", "purchaser_a", "provider_a", "outsider"])
    def test_only_city_finance_edits(self, world, template, login, persona):
        client = login(getattr(world, persona))
        assert client.get(reverse("performance:template-new")).status_code == 404
        assert client.post(reverse("performance:template-new"), {**self.HEAD, **_rows(INDICATORS)}).status_code == 404
        url = reverse("performance:thresholds")
        assert client.post(url, {"effective_from": "2027-01-01", "amount": "1"}).status_code == 404
        assert IndicatorTemplate.objects.count() == 1
        assert not KeyProjectThreshold.objects.exists()
