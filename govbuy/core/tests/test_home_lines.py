"""Every line of every home section reads as a sentence (issue 16): over the demo, for every
person, no label or note ends in a bare number ("… · 1" for round 1), is a bare number or date,
or carries a code like "(v2)" or an ISO timestamp."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import translation

from govbuy.core.home import home_sections

pytestmark = pytest.mark.django_db

BARE = (
    re.compile(r"(^|[·,，：]\s*|:\s+)\d+(\.\d+)?$"),  # a number alone, or as the last part of a line
    re.compile(r"^\d{4}-\d{2}-\d{2}$"),  # a date alone says nothing of what it is
    re.compile(r"\(v\d+\)"),  # a version as a code
    re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}|\+00:00"),
)


def _lines(user) -> list[str]:
    request = RequestFactory().get("/")
    request.user = user
    with translation.override("zh-hans"):
        return [
            str(item.get(key) or "")
            for section in home_sections(request)
            for item in section.get("items", [])
            for key in ("label", "note")
        ]


def test_no_home_line_is_a_bare_number_date_or_code():
    call_command("seed_demo", verbosity=0)
    bad = []
    seen = 0
    for user in get_user_model().objects.filter(is_active=True).order_by("username"):
        for line in _lines(user):
            seen += 1
            if any(pattern.search(line) for pattern in BARE):
                bad.append(f"{user.username}: {line}")
    assert seen > 20  # the demo gives the personas work to do
    assert bad == [], "\n".join(bad)


@pytest.mark.parametrize(
    "line", ["110101-2027-000001-HT1 · 养老服务 · 1", "2026-12-05", "居家养老目录 (v2)", "12", "已提交 · 3"]
)
def test_the_patterns_catch_the_defects_they_name(line):
    assert any(pattern.search(line) for pattern in BARE)


@pytest.mark.parametrize(
    "line", ["第1轮", "2026-12-05前答复", "共12行", "110101-2027-000001-HT1 · 养老服务", "签署于2026-12-06 08:41"]
)
def test_the_patterns_let_sentences_through(line):
    assert not any(pattern.search(line) for pattern in BARE)
