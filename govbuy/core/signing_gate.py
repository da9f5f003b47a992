"""The signing gate of a refusal to sign (Reg. Art. 49): a winner who has signed the contract of
its award did not refuse to sign it, so procurement records no refusal against that award.

Procurement cannot import contracts (layers go downward), so contracts registers here, in its
AppConfig.ready(), the function that answers "does this award have a contract signed by the
provider?". The gate fails closed: with no checker registered (an installation without contracts)
nobody can show that the provider did not sign, and a refusal is a credit fact against the
provider, so none is recorded; a checker that says "signed" wins over any that says "not signed".
"""

from __future__ import annotations

from collections.abc import Callable

Checker = Callable[[int], bool]
_checkers: list[Checker] = []


def register(checker: Checker) -> None:
    """Register the checker (idempotent: AppConfig.ready() may run twice in tests)."""
    if all(c is not checker for c in _checkers):
        _checkers.append(checker)


def unregister(checker: Checker) -> None:
    _checkers[:] = [c for c in _checkers if c is not checker]


def can_check() -> bool:
    """Whether any app answers the question at all (contracts is installed)."""
    return bool(_checkers)


def signed_by_provider(award_id: int) -> bool:
    """Whether the award has a contract signed by the provider (any checker says so), or nobody
    can tell (no checker registered)."""
    return not _checkers or any(checker(int(award_id)) for checker in _checkers)
