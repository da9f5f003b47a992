"""The default table of discriminatory condition patterns (seed §三.三 last sentence; Reg. Art. 20).

Data, not code: the city finance bureau edits it on the patterns page, every edit audited. Phrases
are matched after NFKC and Traditional→Simplified conversion, so one Simplified phrase covers the
Traditional spelling too; `*` stands for up to six characters.
"""

from django.db import migrations

PATTERNS = [
    (
        "registration-place",
        "registration_place",
        "限定注册地或所在地",
        "Place of registration or location",
        [
            "注册地", "本地注册", "本市注册", "本区注册", "在京注册", "北京市注册", "本地企业", "本地机构",
            "本地社会组织", "注册于本", "属地", "外地", "户籍", "registered in", "place of registration",
            "local registration", "locally registered", "local company", "local firm", "local organisation",
            "local organization", "non-local",
        ],
    ),
    (
        "ownership",
        "ownership",
        "限定所有制形式",
        "Ownership type",
        [
            "国有", "国企", "央企", "所有制", "民营企业除外", "集体企业", "外资", "state-owned", "state owned",
            "SOE", "ownership", "public sector enterprise", "foreign-invested",
        ],
    ),
    (
        "size-capital",
        "size_capital",
        "规模或注册资本超出需要",
        "Size or capital beyond need",
        [
            "注册资本", "注册资金", "实缴资本", "资产总额", "净资产", "营业收入不低于", "营业额", "职工人数不少于",
            "员工人数不少于", "规模以上", "registered capital", "paid-in capital", "total assets", "net assets",
            "annual turnover", "annual revenue of at least", "at least * employees", "headcount",
        ],
    ),
    (
        "years-in-business",
        "years_in_business",
        "成立年限或经营年限超出需要",
        "Years in business beyond need",
        [
            "成立年限", "成立满", "成立*年以上", "成立时间不少于", "成立时间不得少于", "经营年限", "从业年限",
            "years in business", "established for at least", "established at least", "in operation for at least",
            "in business for at least", "founded at least",
        ],
    ),
    (
        "brand",
        "brand",
        "指定品牌、商标或供应商",
        "Named brand, trademark or supplier",
        ["品牌", "商标", "原厂", "指定厂家", "指定供应商", "brand", "branded", "trademark", "manufacturer's own", "named supplier"],
    ),
    (
        "past-contracts",
        "past_contracts",
        "要求曾与本单位合作",
        "Past contracts with this purchaser",
        [
            "曾与本单位合作", "与本单位合作过", "本单位合作经历", "本单位供应商", "曾为本单位", "曾承接本单位",
            "与本单位有合作", "在本单位的业绩", "本单位业绩", "previous contract with", "past contracts with",
            "previously contracted by", "worked with us", "worked with this", "existing supplier", "incumbent",
            "our previous supplier",
        ],
    ),
]


def seed(apps, schema_editor):
    ConditionPattern = apps.get_model("providers", "ConditionPattern")
    for code, category, label_zh, label_en, phrases in PATTERNS:
        ConditionPattern.objects.get_or_create(
            code=code,
            defaults={"category": category, "label_zh": label_zh, "label_en": label_en, "phrases": "\n".join(phrases)},
        )


def unseed(apps, schema_editor):
    apps.get_model("providers", "ConditionPattern").objects.filter(code__in=[p[0] for p in PATTERNS]).delete()


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_provider_registry")]
    operations = [migrations.RunPython(seed, unseed)]
