"""The statutory methods and their parameters (design/rules.md; Law Art. 26–38, Reg. Art. 31–43,
財庫〔2014〕214號, MoF Order 74). Values marked (default) in rules.md are defaults the city finance
bureau may change on /procurement/methods/ (audited)."""

from django.db import migrations

# code, zh, en, in scope, period, unit, min suppliers, panel, expert %, evaluation, price min, max,
# publicity working days, random invitations, reason required, legal basis
METHODS = [
    ("public_tender", "公开招标", "public tender", True, 20, "calendar_days", 3, 5, 67, "comprehensive", 10, 100, 0, 0, False,
     "采购法第35条：招标文件发出之日起至投标截止不少于20日"),
    ("invitation_tender", "邀请招标", "invitation tender", True, 20, "calendar_days", 3, 5, 67, "comprehensive", 10, 100, 0, 3, False,
     "采购法第34条：从符合条件的供应商中随机选择3家以上"),
    ("competitive_negotiation", "竞争性谈判", "competitive negotiation", True, 3, "working_days", 3, 3, 67, "lowest_price", 100, 100, 0, 0, False,
     "采购法第38条；财政部令第74号：提交响应文件不少于3个工作日"),
    ("competitive_consultation", "竞争性磋商", "competitive consultation", True, 10, "calendar_days", 3, 3, 67, "comprehensive", 10, 30, 0, 0, False,
     "财库〔2014〕214号：磋商文件发出至首次响应不少于10日，价格分值10%–30%"),
    ("single_source", "单一来源采购", "single source", True, 5, "working_days", 1, 3, 67, "lowest_price", 100, 100, 5, 0, True,
     "采购法第31条；条例第38条：公示不少于5个工作日"),
    ("request_for_quotation", "询价", "request for quotation", True, 3, "working_days", 3, 3, 67, "lowest_price", 100, 100, 0, 0, False,
     "采购法第40条；财政部令第74号：不少于3个工作日"),
    ("contract", "合同方式购买（政府采购范围外）", "contract (outside the procurement scope)", False, 5, "working_days", 1, 0, 0, "comprehensive", 10, 100, 0, 0, False,
     "财政部令第102号；北京市2014年实施意见 三.四"),
    ("commission", "委托方式购买（政府采购范围外）", "direct commission (outside the procurement scope)", False, 5, "working_days", 1, 0, 0, "comprehensive", 10, 100, 0, 0, True,
     "北京市2014年实施意见 三.四：委托须说明理由"),
]


def seed(apps, schema_editor):
    Method = apps.get_model("procurement", "ProcurementMethod")
    for row in METHODS:
        (code, zh, en, scope, period, unit, suppliers, panel, share, evaluation, low, high, publicity, invitations, reason, basis) = row
        Method.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "in_procurement_scope": scope,
                "min_period": period,
                "min_period_unit": unit,
                "min_suppliers": suppliers,
                "panel_size": panel,
                "expert_share_percent": share,
                "evaluation_method": evaluation,
                "price_weight_min": low,
                "price_weight_max": high,
                "publicity_working_days": publicity,
                "random_invitations": invitations,
                "requires_reason": reason,
                "legal_basis": basis,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("procurement", "0001_tenders_bids_opening")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
