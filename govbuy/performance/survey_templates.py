"""Survey templates in Chinese (服務對象滿意度): the question sets a purchaser starts a survey
from. The questions are content written into the survey in the language of the people who answer
it (the recipients of the service), not interface text; the name of each set is translated."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SurveyTemplate:
    key: str
    label: object  # a lazy translated string
    title: str
    questions: tuple[str, ...]


TEMPLATES: tuple[SurveyTemplate, ...] = (
    SurveyTemplate(
        "general",
        _("General public service"),
        "服务对象满意度调查",
        ("服务人员态度", "服务内容是否满足需要", "服务是否准时", "总体满意程度"),
    ),
    SurveyTemplate(
        "elderly_care",
        _("Home and community elderly care"),
        "居家养老服务满意度调查",
        ("服务人员态度", "上门服务是否准时", "服务内容是否满足老人需要", "服务过程是否安全", "总体满意程度"),
    ),
    SurveyTemplate(
        "social_work",
        _("Community social work"),
        "社区社会工作服务满意度调查",
        ("社会工作者态度", "活动内容是否有帮助", "求助后是否及时回应", "个人信息是否得到保护", "总体满意程度"),
    ),
)
BY_KEY = {t.key: t for t in TEMPLATES}


def choices() -> list[tuple[str, object]]:
    return [(t.key, t.label) for t in TEMPLATES]
