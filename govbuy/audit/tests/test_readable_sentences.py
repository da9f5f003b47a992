"""Audit sentences read as sentences: Beijing time instead of ISO strings, grouped amounts, the
object's name instead of its code, the person's name instead of the login."""

from types import SimpleNamespace

from django.utils import translation

from govbuy.audit import describe


def event(**fields):
    base = {
        "action": "test.readable.moved",
        "actor_id": 7,
        "actor_label": "dongcheng.health",
        "organisation_label": "东城区卫生健康委员会",
        "object_type": "procurement.tender",
        "object_id": "6",
        "data": {},
    }
    base.update(fields)
    return SimpleNamespace(**base)


def test_times_amounts_objects_and_people_are_readable():
    describe.register("test.readable.moved", "{actor}: {object} 截止 {deadline}，预算 {budget} 元")
    with translation.override("zh-hans"):
        sentence = describe.describe(
            event(data={"deadline": "2026-12-24T01:30:00+00:00", "budget": "1687200.00"}), {7: "李娜"}
        )
    assert sentence == "李娜: 采购项目 #6 截止 2026-12-24 09:30，预算 1,687,200.00 元"
    assert "+00:00" not in sentence
    assert "procurement.tender" not in sentence


def test_without_a_name_the_system_is_named_in_words():
    describe.register("test.readable.moved", "{actor}")
    with translation.override("en"):
        assert describe.describe(event(actor_id=None, actor_label="system")) == "the system"
