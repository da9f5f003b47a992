"""Every (from, to) pair of procurement's transition tables: the allowed moves pass the rule
check, every other move is refused, and each table names every status of its model."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from govbuy.core.errors import Conflict, DomainError, TransitionRefused
from govbuy.procurement import rules
from govbuy.procurement.models import AwardStatus, BidStatus, ChallengeStatus, ComplaintStatus, TenderStatus

TABLES = [
    pytest.param(TenderStatus.values, rules.TRANSITIONS, rules.check_transition, TransitionRefused, id="tender"),
    pytest.param(BidStatus.values, rules.BID_TRANSITIONS, rules.check_bid_transition, Conflict, id="bid"),
    pytest.param(AwardStatus.values, rules.AWARD_TRANSITIONS, rules.check_award_transition, Conflict, id="award"),
    pytest.param(
        ChallengeStatus.values, rules.CHALLENGE_TRANSITIONS, rules.check_challenge_transition, Conflict, id="challenge"
    ),
    pytest.param(
        ComplaintStatus.values, rules.COMPLAINT_TRANSITIONS, rules.check_complaint_transition, Conflict, id="complaint"
    ),
]


@pytest.mark.parametrize(("states", "table", "check", "refusal"), TABLES)
def test_transition_table_is_walked(
    states: list[str],
    table: dict[str, frozenset[str]],
    check: Callable[[str, str], None],
    refusal: type[DomainError],
) -> None:
    assert set(table) == set(states)
    for before in states:
        for after in states:
            if after in table[before]:
                check(before, after)
            else:
                with pytest.raises(refusal):
                    check(before, after)


def test_a_bid_leaves_sealed_once_and_never_comes_back() -> None:
    assert rules.BID_TRANSITIONS["sealed"] == {"withdrawn", "replaced", "opened"}
    assert all(not rules.BID_TRANSITIONS[state] for state in ("withdrawn", "replaced", "opened"))


def test_an_award_is_confirmed_once() -> None:
    rules.check_award_transition("proposed", "active")
    with pytest.raises(Conflict):
        rules.check_award_transition("active", "active")


def test_a_refusal_to_sign_is_recorded_on_a_confirmed_award_and_confirmed_once() -> None:
    """Reg. Art. 49: only a confirmed award is refused; a superseded award never comes back; a
    refusal recorded by mistake is withdrawn before its confirmation (the award is active again)."""
    rules.check_award_transition("active", "refusal_recorded")
    rules.check_award_transition("refusal_recorded", "refused")
    rules.check_award_transition("refusal_recorded", "active")
    for before, after in [
        ("proposed", "refusal_recorded"),
        ("proposed", "refused"),
        ("active", "refused"),
        ("refused", "active"),
        ("refused", "refusal_recorded"),
        ("active", "active"),
    ]:
        with pytest.raises(Conflict):
            rules.check_award_transition(before, after)


def test_a_challenge_is_answered_once_and_a_complaint_decided_once() -> None:
    rules.check_challenge_transition("lodged", "answered")
    rules.check_complaint_transition("lodged", "decided")
    with pytest.raises(Conflict):
        rules.check_challenge_transition("answered", "answered")
    with pytest.raises(Conflict):
        rules.check_complaint_transition("decided", "decided")
