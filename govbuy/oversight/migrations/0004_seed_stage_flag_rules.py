"""The risk-flag rules of the later stages (bidders' contacts, the winner's credit, the contract's
amendments, statutory clocks, payments and acceptance): data, like the first eight."""

from decimal import Decimal

from django.db import migrations

RULES = (
    (
        "shared_contacts",
        "投标人联系方式相同",
        "同一采购项目中达到阈值家数（默认2家）的投标供应商登记了相同的联系电话、电子邮箱或注册地址，"
        "可能由同一人控制或串通投标。数据：供应商档案的联系电话、电子邮箱、注册地址。",
        Decimal("2"),
        None,
        3,
    ),
    (
        "negative_credit",
        "中标人有不良信用记录",
        "中标供应商的信用记录中仍计入信用分的负面事实达到阈值条数（默认1条）（异议未决和已修复的不计）。"
        "数据：信用系统对该供应商信用分的逐条说明。",
        Decimal("1"),
        None,
        2,
    ),
    (
        "amendment_increase",
        "补充协议增加合同金额",
        "已生效的补充协议累计增加的金额达到原合同金额的阈值比例（默认5%；《政府采购法》第四十九条上限为10%）。"
        "数据：合同原金额及各补充协议的金额变更。",
        Decimal("0.05"),
        None,
        2,
    ),
    (
        "late_signing",
        "合同签订逾期",
        "合同在中标通知书发出之日起30日的法定期限（《政府采购法》第四十六条）后超过阈值天数（默认0天）才签订，"
        "或至今未签订。数据：中标通知日期、合同签订时间。",
        Decimal("0"),
        None,
        1,
    ),
    (
        "late_publication",
        "合同公告逾期",
        "合同在签订之日起2个工作日的法定期限（《政府采购法实施条例》第五十条）后超过阈值天数（默认0天）才公告，"
        "或至今未公告。数据：合同签订时间、公告时间。",
        Decimal("0"),
        None,
        1,
    ),
    (
        "late_payment",
        "付款逾期",
        "里程碑验收合格后超过阈值天数（默认30天，《保障中小企业款项支付条例》第八条）才首次付款，或至今未付款。"
        "数据：里程碑验收时间、付款日期。",
        Decimal("30"),
        None,
        2,
    ),
    (
        "accepted_without_evidence",
        "无佐证材料即验收",
        "里程碑已验收合格，但验收所依据的交付成果附带的佐证材料（服务记录、签到表、报告、照片）少于阈值份数（默认1份）。"
        "数据：里程碑状态、已验收交付成果的附件。",
        Decimal("1"),
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
    dependencies = [("oversight", "0003_seed_flag_rules")]
    operations = [migrations.RunPython(seed, unseed)]
