"""A survey answer's audit sentence names its flags in the reader's language, not by their codes."""

from __future__ import annotations

import pytest
from django.utils import translation

from govbuy.audit.describe import describe
from govbuy.audit.services import record_event

pytestmark = pytest.mark.django_db


def answered(flags: str):
    data = {"title": "居家养老满意度", "flags": flags}
    return record_event(actor=None, action="performance.survey.answered", data=data)


def test_the_flags_are_named_in_chinese():
    with translation.override("zh-hans"):
        sentence = describe(answered("burst, too_fast"))
    assert "too_fast" not in sentence
    assert "burst" not in sentence
    assert "同一地址" in sentence
    assert "居家养老满意度" in sentence


def test_an_answer_without_flags_says_nothing_of_flags():
    with translation.override("en"):
        sentence = describe(answered(""))
    assert sentence == "An anonymous answer to the survey “居家养老满意度” was received"
