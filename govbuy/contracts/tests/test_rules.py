"""Each statutory limit of contracts at its boundary (pure rules, no database)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from govbuy.contracts import rules
from govbuy.core.calendar.rules import SHANGHAI, WorkingCalendar
from govbuy.core.errors import TransitionRefused, ValidationFailed

ALL = list(rules.TRANSITIONS)
MET = rules.TermConditions(recurring=True, stable_content=True, budget_secured=True)
UNMET = rules.TermConditions(recurring=True, stable_content=True, budget_secured=False)


@pytest.mark.parametrize("before", ALL)
@pytest.mark.parametrize("after", ALL)
def test_every_pair_of_states_is_allowed_exactly_when_the_table_says_so(before, after):
    if after in rules.TRANSITIONS[before]:
        rules.check_transition(before, after)
    else:
        with pytest.raises(TransitionRefused):
            rules.check_transition(before, after)


def test_terminal_states_lead_nowhere():
    for state in ("terminated", "completed", "cancelled"):
        assert rules.TRANSITIONS[state] == frozenset()


def test_a_term_of_exactly_one_year_needs_no_conditions():
    rules.check_term(date(2026, 1, 1), date(2026, 12, 31), UNMET)


def test_a_term_of_one_year_and_a_day_needs_all_three_conditions_and_a_secured_budget():
    with pytest.raises(ValidationFailed) as err:
        rules.check_term(date(2026, 1, 1), date(2027, 1, 1), UNMET)
    assert "Art. 24" in str(err.value.message)
    rules.check_term(date(2026, 1, 1), date(2027, 1, 1), MET)


def test_a_term_of_three_years_is_the_most_even_with_the_conditions():
    rules.check_term(date(2026, 1, 1), date(2028, 12, 31), MET)


def test_a_term_of_three_years_and_a_day_is_refused():
    with pytest.raises(ValidationFailed) as err:
        rules.check_term(date(2026, 1, 1), date(2029, 1, 1), MET)
    assert "three years" in str(err.value.message)


def test_a_term_from_29_february_ends_on_28_february():
    assert rules.last_day_of_term(date(2028, 2, 29), 1) == date(2029, 2, 27)


def test_a_bond_of_exactly_10_percent_is_allowed_and_10_01_percent_refused():
    rules.check_bond(Decimal("10000.00"), "bank_guarantee", Decimal("100000.00"))
    with pytest.raises(ValidationFailed) as err:
        rules.check_bond(Decimal("10010.00"), "bank_guarantee", Decimal("100000.00"))
    assert "Reg. Art. 48" in str(err.value.message)


def test_a_cash_bond_is_refused():
    with pytest.raises(ValidationFailed) as err:
        rules.check_bond(Decimal("100.00"), "cash", Decimal("100000.00"))
    assert "bond_form" in err.value.fields


def test_a_bond_needs_its_form():
    with pytest.raises(ValidationFailed):
        rules.check_bond(Decimal("100.00"), "none", Decimal("100000.00"))
    rules.check_bond(Decimal("0"), "none", Decimal("100000.00"))


def test_the_purchaser_must_declare_no_financing_guarantee():
    with pytest.raises(ValidationFailed) as err:
        rules.check_no_financing_guarantee(False)
    assert "Art. 29" in str(err.value.message)
    rules.check_no_financing_guarantee(True)


def test_amendments_may_add_exactly_10_percent_in_total():
    rules.check_amendment_increase(Decimal("100000.00"), [Decimal("4000.00")], Decimal("6000.00"))


def test_an_amendment_taking_the_increases_over_10_percent_is_refused():
    with pytest.raises(ValidationFailed) as err:
        rules.check_amendment_increase(Decimal("100000.00"), [Decimal("4000.00")], Decimal("6010.00"))
    assert "Law Art. 49" in str(err.value.message)


def test_a_reduction_does_not_make_room_for_a_later_increase():
    with pytest.raises(ValidationFailed):
        rules.check_amendment_increase(Decimal("100000.00"), [Decimal("-5000.00"), Decimal("10000.00")], Decimal("1"))


def test_a_reduction_below_the_amount_paid_is_refused():
    with pytest.raises(ValidationFailed):
        rules.check_reduction(Decimal("1000.00"), Decimal("900.00"), Decimal("-100.01"))
    rules.check_reduction(Decimal("1000.00"), Decimal("900.00"), Decimal("-100.00"))


AWARD = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)  # a Monday
CAL = WorkingCalendar()


def test_signing_on_day_30_is_in_time_and_on_day_31_late():
    due = rules.signing_due(AWARD, CAL)
    assert due == date(2026, 4, 1)
    assert not rules.is_late(datetime(2026, 4, 1, 23, 0, tzinfo=SHANGHAI), due)
    assert rules.is_late(datetime(2026, 4, 2, 9, 0, tzinfo=SHANGHAI), due)


def test_publication_within_two_working_days_of_signing_counts_working_days():
    signed = datetime(2026, 3, 6, 15, 0, tzinfo=SHANGHAI)  # a Friday
    due = rules.publication_due(signed, CAL)
    assert due == date(2026, 3, 10)
    assert not rules.is_late(datetime(2026, 3, 10, 18, 0, tzinfo=SHANGHAI), due)
    assert rules.is_late(datetime(2026, 3, 11, 9, 0, tzinfo=SHANGHAI), due)


def test_publication_skips_holidays_of_the_calendar():
    signed = datetime(2026, 3, 6, 15, 0, tzinfo=SHANGHAI)
    calendar = WorkingCalendar.from_days([(date(2026, 3, 9), "holiday")])
    assert rules.publication_due(signed, calendar) == date(2026, 3, 11)


def test_filing_within_seven_working_days_of_signing():
    signed = datetime(2026, 3, 2, 15, 0, tzinfo=SHANGHAI)  # a Monday
    due = rules.filing_due(signed, CAL)
    assert due == date(2026, 3, 11)
    assert rules.is_late(datetime(2026, 3, 12, 8, 0, tzinfo=SHANGHAI), due)


def test_four_eyes_above_the_threshold_only():
    assert not rules.needs_second_user(Decimal("1000000.00"), Decimal("1000000"))
    assert rules.needs_second_user(Decimal("1000000.01"), Decimal("1000000"))


def _m(share: str, due: date = date(2026, 6, 30)) -> rules.MilestoneInput:
    return rules.MilestoneInput("阶段", due, Decimal(share), "100 人次", "满意度 ≥ 90%")


def test_milestone_shares_must_sum_to_100():
    rules.check_milestones([_m("40"), _m("60")], date(2026, 1, 1), date(2026, 12, 31))
    with pytest.raises(ValidationFailed):
        rules.check_milestones([_m("40"), _m("59.99")], date(2026, 1, 1), date(2026, 12, 31))


def test_a_milestone_outside_the_period_is_refused():
    with pytest.raises(ValidationFailed):
        rules.check_milestones([_m("100", date(2027, 1, 1))], date(2026, 1, 1), date(2026, 12, 31))


def _pay(amount: str, *, accepted: bool = True, payee: int = 7, paid: str = "900.00") -> None:
    rules.check_payment(
        amount=Decimal(amount),
        value=Decimal("1000.00"),
        paid=Decimal(paid),
        milestone_accepted=accepted,
        payee_org=payee,
        provider_org=7,
    )


def test_a_payment_up_to_the_remaining_value_is_allowed():
    _pay("100.00")


def test_a_payment_above_the_remaining_value_is_refused():
    with pytest.raises(ValidationFailed) as err:
        _pay("100.01")
    assert "amount" in err.value.fields


def test_a_payment_needs_an_accepted_milestone():
    with pytest.raises(ValidationFailed) as err:
        _pay("10.00", accepted=False)
    assert "milestone" in err.value.fields


def test_a_payment_to_another_organisation_is_refused():
    with pytest.raises(ValidationFailed) as err:
        _pay("10.00", payee=8)
    assert "payee" in err.value.fields


def test_completion_needs_every_milestone_accepted_and_the_value_paid():
    assert rules.may_complete(["accepted", "accepted"], Decimal("10"), Decimal("10"))
    assert not rules.may_complete(["accepted", "submitted"], Decimal("10"), Decimal("10"))
    assert not rules.may_complete(["accepted"], Decimal("10"), Decimal("9.99"))
    assert not rules.may_complete([], Decimal("10"), Decimal("10"))


def test_withheld_sections_need_a_reason_each():
    assert rules.clean_withheld([{"section": "settlement", "reason": "报价构成属商业秘密"}]) == [
        {"section": "settlement", "reason": "报价构成属商业秘密"}
    ]
    with pytest.raises(ValidationFailed):
        rules.clean_withheld([{"section": "settlement", "reason": ""}])
    with pytest.raises(ValidationFailed):
        rules.clean_withheld([{"section": "content", "reason": "x"}])
