"""govbuy.api.base: the scoped lookup turns "not in scope" into the 404 and nothing else."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.http import Http404

from govbuy.api.base import scoped
from govbuy.core.errors import NotFound


def _http404() -> None:
    raise Http404


def _does_not_exist() -> None:
    raise get_user_model().DoesNotExist


def _bug() -> None:
    raise ValueError("a programming error")


@pytest.mark.parametrize("selector", [_http404, _does_not_exist])
def test_not_in_scope_is_the_404(selector):
    with pytest.raises(NotFound):
        scoped(selector)


def test_any_other_error_is_not_hidden_as_a_404():
    with pytest.raises(ValueError, match="programming error"):
        scoped(_bug)


def test_the_selector_gets_its_arguments_and_its_answer_is_returned():
    assert scoped(lambda a, *, b: (a, b), 1, b=2) == (1, 2)
