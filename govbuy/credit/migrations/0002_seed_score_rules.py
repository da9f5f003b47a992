"""The score's rules as data (issue 14): points per kind of fact, a half-life of one year, three
years before a fact stops counting (the "no major violation in the last three years" of Law Art.
22 and seed §三.三), 10 working days to object; base 100 within 0–120."""

import datetime

from django.db import migrations

EFFECTIVE = datetime.date(2015, 1, 1)
LAW_77 = "《政府采购法》第七十七条"
POINTS = {
    "procurement.refused_to_sign": ("-15", "《政府采购法实施条例》第七十二条"),
    "procurement.complaint_upheld_against": ("-10", "《政府采购质疑和投诉办法》"),
    "procurement.false_complaint": ("-15", "《政府采购法实施条例》第七十三条"),
    "contracts.completed_on_time": ("2", ""),
    "contracts.delivery_late": ("-3", ""),
    "contracts.deliverable_returned": ("-5", ""),
    "contracts.terminated_for_cause": ("-20", "《政府采购法实施条例》第七十二条"),
    "contracts.subcontracting_found": ("-20", "《政府采购法实施条例》第七十二条"),
    "performance.grade_excellent": ("5", ""),
    "performance.grade_poor": ("-10", ""),
    "credit.false_materials": ("-30", LAW_77),
    "credit.defamation": ("-20", LAW_77),
    "credit.collusion": ("-40", LAW_77),
    "credit.bribery": ("-40", LAW_77),
    "credit.refused_supervision": ("-20", LAW_77),
    "credit.commendation": ("5", ""),
    "credit.withdrawn": ("0", ""),
}


def seed(apps, schema_editor):
    ScoreRule = apps.get_model("credit", "ScoreRule")
    ScoreScale = apps.get_model("credit", "ScoreScale")
    ScoreScale.objects.get_or_create(
        effective_from=EFFECTIVE,
        defaults={"base": "100", "floor": "0", "ceiling": "120", "legal_basis": "政府购买服务承接主体信用体系"},
    )
    for kind, (points, basis) in POINTS.items():
        ScoreRule.objects.get_or_create(
            kind=kind,
            effective_from=EFFECTIVE,
            defaults={
                "points": points,
                "half_life_days": 365,
                "counts_for_days": 3 * 365,
                "objection_working_days": 10,
                "legal_basis": basis,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("credit", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
