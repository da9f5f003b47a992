"""CappedPaginator: exact below the cap, "more than N" past it, and one bounded count query."""

from __future__ import annotations

import pytest
from django.apps import apps

from govbuy.core.paging import CappedPaginator

pytestmark = pytest.mark.django_db


@pytest.fixture
def regions():
    region = apps.get_model("organizations", "Region")  # core's tests may not import upward
    city = region.objects.create(code="990000", name_zh="测试市", name_en="Test city", level="city")
    region.objects.bulk_create(
        [
            region(code=f"99{i:04d}", name_zh=f"测试区{i}", name_en=f"Test {i}", level="district", parent=city)
            for i in range(1, 13)
        ]
    )
    return region.objects.filter(code__startswith="99", level="district").order_by("code")


def test_below_the_cap_the_count_is_exact(regions):
    paginator = CappedPaginator(regions, 5, cap=20)
    assert (paginator.count, paginator.count_capped, paginator.num_pages) == (12, False, 3)


def test_past_the_cap_the_pages_end_there_and_say_so(regions):
    paginator = CappedPaginator(regions, 5, cap=10)
    assert (paginator.count, paginator.count_capped, paginator.num_pages) == (10, True, 2)
    assert [r.code for r in paginator.page(2).object_list] == [f"99{i:04d}" for i in range(6, 11)]


def test_the_count_is_one_limited_query(regions, django_assert_num_queries):
    paginator = CappedPaginator(regions, 5, cap=10)
    with django_assert_num_queries(1) as captured:
        assert paginator.count == 10
        assert paginator.count_capped
    assert "LIMIT 11" in captured.captured_queries[0]["sql"]
