"""Pure rules of risk flags (Open Contracting Partnership red-flag indicators): each takes the facts
of one tender and a rule's threshold and returns its findings, each naming the data behind it.
No queries: services/flagging.py gathers the facts."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from statistics import mean
from typing import Any

from django.utils.translation import gettext_lazy as _

from govbuy.core.errors import ValidationFailed


@dataclass(frozen=True)
class Finding:
    key: str
    score: Decimal
    evidence: dict[str, Any] = field(default_factory=dict)


def single_bidder(opened_bids: int, threshold: Decimal) -> list[Finding]:
    if 0 < opened_bids <= threshold:
        return [Finding("", Decimal(1), {"opened_bids": opened_bids})]
    return []


def short_period(period_days: Decimal, minimum_days: Decimal, threshold: Decimal) -> list[Finding]:
    """The notice's period (calendar days) at or within `threshold` days of the legal minimum."""
    if period_days <= minimum_days + threshold:
        margin = period_days - minimum_days
        return [
            Finding(
                "",
                Decimal(1),
                {"period_days": str(period_days), "minimum_days": str(minimum_days), "margin_days": str(margin)},
            )
        ]
    return []


def award_near_budget(amount: Decimal, budget: Decimal, threshold: Decimal, provider_id: int) -> list[Finding]:
    if budget > 0 and amount >= budget * (1 - threshold):
        share = (amount / budget).quantize(Decimal("0.0001"))
        return [Finding(str(provider_id), share, {"amount": str(amount), "budget": str(budget), "share": str(share)})]
    return []


def repeat_winner(wins: Mapping[int, list[str]], threshold: Decimal) -> list[Finding]:
    """wins: provider id → references of the tenders it won from this purchaser in the window."""
    return [
        Finding(str(provider), Decimal(len(refs)), {"provider_id": provider, "tenders": sorted(refs)})
        for provider, refs in sorted(wins.items())
        if len(refs) >= threshold
    ]


def split_purchase(siblings: list[str], threshold: Decimal) -> list[Finding]:
    """siblings: references of the purchaser's projects of the same catalog item in the window,
    this tender's project included."""
    if len(siblings) >= threshold:
        return [Finding("", Decimal(len(siblings)), {"projects": sorted(siblings)})]
    return []


def related_bidders(bidders: Iterable[int], relations: Iterable[tuple[int, int, str]]) -> list[Finding]:
    present = set(bidders)
    return [
        Finding(f"{a}-{b}", Decimal(1), {"providers": [a, b], "basis": basis})
        for a, b, basis in sorted(relations)
        if a in present and b in present
    ]


def shared_documents(hashes: Mapping[str, set[int]], threshold: Decimal) -> list[Finding]:
    """hashes: document SHA-256 → providers that submitted it in this tender."""
    return [
        Finding(sha[:64], Decimal(len(providers)), {"sha256": sha, "providers": sorted(providers)})
        for sha, providers in sorted(hashes.items())
        if len(providers) >= threshold
    ]


def score_outlier(totals: Mapping[tuple[int, int], Decimal], threshold: Decimal) -> list[Finding]:
    """totals: (member id, bid id) → the member's total points for the bid."""
    by_bid: dict[int, dict[int, Decimal]] = {}
    for (member, bid), points in totals.items():
        by_bid.setdefault(bid, {})[member] = points
    findings = []
    for bid, members in sorted(by_bid.items()):
        if len(members) < 2:
            continue
        for member, points in sorted(members.items()):
            others = [p for m, p in members.items() if m != member]
            panel = Decimal(str(mean(others))).quantize(Decimal("0.01"))
            gap = abs(points - panel)
            if gap > threshold:
                findings.append(
                    Finding(
                        f"{member}-{bid}",
                        gap,
                        {"member_id": member, "bid_id": bid, "points": str(points), "others_mean": str(panel)},
                    )
                )
    return findings


def dismiss_reason(value: Any) -> str:
    reason = str(value or "").strip()
    if not reason or len(reason) > 2000:
        message = _("Give the reason for dismissing the flag.")
        raise ValidationFailed(message, fields={"reason": [message]})
    return reason


# --- Bidders, winners and the contract (issue 15: the rules of the later stages) -------------------

CONTACT_FIELDS = ("phone", "email", "address")


def normalise_contact(field_name: str, value: str) -> str:
    """The comparable form of a contact: a telephone's digits (without the +86 prefix), an
    e-mail in lower case, an address without spaces and punctuation."""
    raw = str(value or "").strip()
    if field_name == "phone":
        digits = "".join(ch for ch in raw if ch.isdigit())
        return digits[2:] if digits.startswith("86") and len(digits) > 11 else digits
    if field_name == "email":
        return raw.lower()
    return "".join(ch for ch in raw if ch.isalnum()).lower()


def shared_contacts(contacts: Mapping[int, Mapping[str, str]], threshold: Decimal) -> list[Finding]:
    """contacts: bidding provider id → its registered telephone, e-mail and address. A value
    shared by at least `threshold` providers is a finding (the same person may be behind them)."""
    groups: dict[tuple[str, str], set[int]] = {}
    for provider, fields in contacts.items():
        for name in CONTACT_FIELDS:
            value = normalise_contact(name, fields.get(name, ""))
            if len(value) >= 5:  # too short to identify anyone
                groups.setdefault((name, value), set()).add(provider)
    findings = []
    for (name, value), providers in sorted(groups.items()):
        if len(providers) >= threshold:
            key = f"{name}:{hashlib.sha256(value.encode()).hexdigest()[:32]}"
            evidence = {"contact": name, "value": value, "providers": sorted(providers)}
            findings.append(Finding(key, Decimal(len(providers)), evidence))
    return findings


def negative_credit(provider_id: int, facts: Iterable[tuple[int, str, str]], threshold: Decimal) -> list[Finding]:
    """facts: the winner's negative credit facts that count in its score (id, kind, day)."""
    rows = sorted(facts)
    if rows and len(rows) >= threshold:
        listed = [{"fact_id": pk, "kind": kind, "occurred_on": day} for pk, kind, day in rows]
        return [Finding(str(provider_id), Decimal(len(rows)), {"provider_id": provider_id, "facts": listed})]
    return []


def amendment_increase(
    contract: str, original: Decimal, increases: Iterable[tuple[int, Decimal]], threshold: Decimal
) -> list[Finding]:
    """increases: (number, value change) of the contract's amendments in force. The increases
    together reaching `threshold` of the original value (Law Art. 49 allows at most 10 %)."""
    raised = [(n, c) for n, c in sorted(increases) if c > 0]
    total = sum((c for _n, c in raised), Decimal(0))
    if original <= 0 or not raised:
        return []
    share = (total / original).quantize(Decimal("0.0001"))
    if share < threshold:
        return []
    evidence = {
        "contract": contract,
        "original_value": str(original),
        "increase": str(total),
        "share": str(share),
        "amendments": [n for n, _c in raised],
    }
    return [Finding(contract, share, evidence)]


def late_step(
    key: str, due: dt.date, done: dt.date | None, today: dt.date, grace: Decimal, step: str = ""
) -> list[Finding]:
    """A step done after its last day plus `grace` days, or still not done by then. `step` names
    what is late (the key when not given)."""
    last = due + dt.timedelta(days=int(grace))
    end = done if done is not None else today
    if end <= last:
        return []
    late = (end - due).days
    done_on = done.isoformat() if done else ""
    evidence = {"step": step or key, "due": due.isoformat(), "done": done_on, "days_late": late}
    return [Finding(key, Decimal(late), evidence)]


def accepted_without_evidence(accepted: Iterable[tuple[int, str, str, int]], threshold: Decimal) -> list[Finding]:
    """accepted: (milestone id, contract reference, milestone title, documents of the accepted
    deliverable). A milestone accepted on fewer than `threshold` documents."""
    return [
        Finding(
            str(pk),
            Decimal(1),
            {"contract": contract, "milestone": title, "milestone_id": pk, "documents": documents},
        )
        for pk, contract, title, documents in sorted(accepted)
        if documents < threshold
    ]
