"""The evaluation gate of a payment: a milestone drafted as "paid after its performance
evaluation" is paid only once the evaluation round tied to it is finalised.

Contracts cannot import performance (layers go downward), so performance registers here, in its
AppConfig.ready(), the function that answers "is the evaluation of this milestone finalised?".
The link itself is data on both sides: the milestone's `needs_evaluation` flag, set when the
schedule is drafted, and the round's `milestone`. With no checker registered (an installation
without performance) nothing can ever be evaluated, so a flagged milestone keeps waiting: the
gate fails closed rather than paying without the evaluation the contract asks for.
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


def evaluation_finalised(milestone_id: int) -> bool:
    """Whether the evaluation round tied to the milestone is finalised (every checker agrees)."""
    return bool(_checkers) and all(checker(int(milestone_id)) for checker in _checkers)
