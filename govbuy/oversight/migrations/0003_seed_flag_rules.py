"""The risk-flag rules with their thresholds and explanations (Open Contracting Partnership's
red-flag indicators, adapted to the Regulations): data, so the city finance bureau can tune them."""

from decimal import Decimal

from django.db import migrations

RULES = (
    (
        "single_bidder",
        "单一投标人",
        "开标时有效投标数不超过阈值（默认1家）。竞争不足可能意味着招标条件具有排他性或信息公开不充分。",
        Decimal("1"),
        None,
        3,
    ),
    (
        "short_period",
        "投标期限过短",
        "公告发布至投标截止的天数不超过法定最短期限加阈值天数（默认2天）。期限卡在下限附近会减少潜在投标人。",
        Decimal("2"),
        None,
        2,
    ),
    (
        "award_near_budget",
        "中标价贴近预算",
        "中标金额达到预算的（1−阈值）以上（默认预算的99%）。价格几乎等于预算可能意味着预算信息泄露或缺乏价格竞争。",
        Decimal("0.01"),
        None,
        2,
    ),
    (
        "repeat_winner",
        "同一供应商反复中标",
        "同一供应商在窗口期内（默认365天）从同一购买主体中标次数达到阈值（默认3次）。",
        Decimal("3"),
        365,
        2,
    ),
    (
        "split_purchase",
        "疑似拆分采购",
        "同一购买主体在窗口期内（默认90天）就同一目录事项发布多个采购项目、合计达到阈值个数（默认2个）。",
        Decimal("2"),
        90,
        2,
    ),
    (
        "related_bidders",
        "关联供应商同场投标",
        "同一采购项目中投标的供应商之间存在登记的关联关系（同一法定代表人或控制关系）。",
        Decimal("2"),
        None,
        3,
    ),
    (
        "shared_documents",
        "投标文件雷同",
        "同一采购项目中不同供应商提交了哈希值相同的投标文件，可能存在串通投标。",
        Decimal("2"),
        None,
        3,
    ),
    (
        "score_outlier",
        "专家评分偏离",
        "某位评审专家对某一投标的总分与评审委员会平均分相差超过阈值（默认20分）。",
        Decimal("20"),
        None,
        2,
    ),
)


def seed(apps, schema_editor):
    FlagRule = apps.get_model("oversight", "FlagRule")
    for code, name, explanation, threshold, window, weight in RULES:
        FlagRule.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": name,
                "explanation_zh": explanation,
                "threshold": threshold,
                "window_days": window,
                "weight": weight,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("oversight", "FlagRule").objects.filter(code__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("oversight", "0002_flags")]
    operations = [migrations.RunPython(seed, unseed)]
