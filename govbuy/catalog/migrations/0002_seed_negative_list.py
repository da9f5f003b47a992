"""The negative list of Order 102 (財政部令第102號) Art. 10 and Art. 18, as data the system needs
in every installation. The city finance bureau maintains it afterwards (each change audited);
this seed is the law's own text, so it is part of the schema's history rather than demo data."""

from django.db import migrations

BASIS = "《政府购买服务管理办法》（财政部令第102号）"
BASIS_EN = "Measures for Government Purchase of Services (MoF Order No. 102)"

MATTERS = [
    (
        "ART10-1",
        "不属于政府职责范围的服务事项",
        "Services outside the government's duties",
        f"{BASIS}第十条第（一）项",
        f"{BASIS_EN}, Art. 10 (1)",
        [],
    ),
    (
        "ART10-2",
        "应当由政府直接履职的事项",
        "Matters the government must perform directly",
        f"{BASIS}第十条第（二）项",
        f"{BASIS_EN}, Art. 10 (2)",
        ["行政审批", "行政许可", "行政处罚", "行政强制", "行政裁决"],
    ),
    (
        "ART10-3",
        "政府采购法律、行政法规规定的货物和工程，以及将工程和服务打包的项目",
        "Goods and works under procurement law, and projects bundling works with services",
        f"{BASIS}第十条第（三）项",
        f"{BASIS_EN}, Art. 10 (3)",
        ["货物采购", "工程施工", "工程建设", "设备购置"],
    ),
    (
        "ART10-4",
        "融资行为",
        "Financing",
        f"{BASIS}第十条第（四）项",
        f"{BASIS_EN}, Art. 10 (4)",
        ["融资", "贷款", "借款"],
    ),
    (
        "ART10-5",
        "购买主体的人员招、聘用，以劳务派遣方式用工，以及设置公益性岗位等事项",
        "The purchaser's own hiring, labour dispatch and public-welfare posts",
        f"{BASIS}第十条第（五）项",
        f"{BASIS_EN}, Art. 10 (5)",
        ["劳务派遣", "公益性岗位", "人员招聘", "聘用人员"],
    ),
    (
        "ART10-6",
        "法律、行政法规以及国务院规定的其他不得作为政府购买服务内容的事项",
        "Other matters that law, administrative regulations or the State Council exclude",
        f"{BASIS}第十条第（六）项",
        f"{BASIS_EN}, Art. 10 (6)",
        [],
    ),
    (
        "ART18",
        "以政府购买服务名义变相用工（向个人购买服务）",
        "Disguised employment under the name of buying services from individuals",
        f"{BASIS}第十八条",
        f"{BASIS_EN}, Art. 18",
        ["变相用工"],
    ),
]


def seed(apps, schema_editor):
    matter_model = apps.get_model("catalog", "NegativeListMatter")
    for position, (code, name_zh, name_en, basis_zh, basis_en, terms) in enumerate(MATTERS, start=1):
        matter_model.objects.get_or_create(
            code=code,
            defaults={
                "name_zh": name_zh,
                "name_en": name_en,
                "legal_basis_zh": basis_zh,
                "legal_basis_en": basis_en,
                "terms_zh": terms,
                "position": position,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("catalog", "NegativeListMatter").objects.filter(code__in=[m[0] for m in MATTERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_catalog_versions_items_filings")]

    operations = [migrations.RunPython(seed, unseed)]
