"""More identifying phrases for the negative list (Order 102 Art. 10), each under the matter whose
legal basis excludes it, found when purchases were written around the first table:

- Art. 10 (2), matters the government performs itself: official reception (公务接待, governed by
  the Party and state organs' domestic official reception rules, arranged by the organ itself).
- Art. 10 (3), works and works bundled with services: repairs and fit-out are works under the
  Tendering Law (大型修缮, 修缮工程, 装修工程, 装饰装修, 房屋修缮, 建筑施工, 土建施工, 维修改造工程).
- Art. 10 (5), the purchaser's own hiring and labour dispatch, in the ways it is written
  (以劳务派遣方式…, 派遣用工, 劳动派遣, 人力派遣, 派遣制人员).

Terms are added to what the finance bureau has now (nothing it added or removed is undone);
removing this migration takes away only the terms it added and no one has kept since.
"""

from django.db import migrations

ADDED = {
    "ART10-2": ["公务接待", "公务宴请"],
    "ART10-3": [
        "大型修缮",
        "修缮工程",
        "房屋修缮",
        "装修工程",
        "装饰装修",
        "建筑施工",
        "土建施工",
        "维修改造工程",
    ],
    "ART10-5": ["以劳务派遣方式", "派遣用工", "劳动派遣", "人力派遣", "派遣制人员"],
}


def seed(apps, schema_editor):
    matter_model = apps.get_model("catalog", "NegativeListMatter")
    for code, terms in ADDED.items():
        matter = matter_model.objects.filter(code=code).first()
        if matter is None:
            continue
        current = list(matter.terms_zh or [])
        merged = current + [term for term in terms if term not in current]
        if merged != current:
            matter.terms_zh = merged[:50]
            matter.version += 1
            matter.save(update_fields=["terms_zh", "version"])


def remove_terms(apps, schema_editor):
    matter_model = apps.get_model("catalog", "NegativeListMatter")
    for code, terms in ADDED.items():
        matter = matter_model.objects.filter(code=code).first()
        if matter is None:
            continue
        kept = [term for term in matter.terms_zh or [] if term not in terms]
        if kept != list(matter.terms_zh or []):
            matter.terms_zh = kept
            matter.save(update_fields=["terms_zh"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_seed_negative_list")]

    operations = [migrations.RunPython(seed, remove_terms)]
