"""Demo provider profiles: the ten demo providers in every state the registry knows.

Verified with complete dossiers (tiny PDFs built in code), one registered with sections awaiting
the authority, one verified whose social-insurance certificate has expired, one with a rejected
section, one that has not started, and two enterprises sharing a legal representative (related
parties). Everything goes through the services, so it is validated and audited; loading twice
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from govbuy.core import timeline
from govbuy.organizations.models import Organisation
from govbuy.providers.models import Condition, DossierSection, ProviderProfile, ServiceArea
from govbuy.providers.samples import minimal_pdf, resident_id
from govbuy.providers.services import dossiers, registration, related_parties, standing

# organisation name → (plan, legal representative, identity serial, registration authority)
PLANS: dict[str, tuple[str, str, int, str]] = {
    "北京市东城区阳光居家养老服务中心": ("verified", "王秀英", 1, "北京市东城区民政局"),
    "北京市朝阳区康乐社会工作事务所": ("verified", "李建国", 2, "北京市朝阳区民政局"),
    "北京市志愿服务联合会": ("pending", "张志远", 3, "北京市民政局"),
    "北京市儿童福利基金会": ("verified", "刘芳", 4, "北京市民政局"),
    "北京清源物业管理有限公司": ("verified", "陈明", 5, "北京市海淀区市场监督管理局"),
    "北京安心家政服务部": ("expired", "赵丽", 6, "北京市朝阳区市场监督管理局"),
    "北京市群众艺术馆服务中心": ("rejected", "孙文", 7, "北京市事业单位登记管理局"),
    "北京市海淀区和平村股份经济合作社": ("new", "周海", 8, "北京市海淀区农业农村局"),
    "东城区交道口街道菊儿社区居民委员会": ("pending", "吴敏", 9, "北京市东城区民政局"),
    # Same legal representative as Qingyuan: the two are related parties (Reg. Art. 18).
    "北京中关村智慧城市科技有限公司": ("verified", "陈明", 5, "北京市海淀区市场监督管理局"),
}

# Which demo user acts for each registration authority kind.
AUTHORITY_USERS = {"civil_affairs": "civil.affairs", "market_regulation": "market.regulation"}
FALLBACK_AUTHORITY_USER = "city.finance"

STATEMENTS: dict[str, str] = {
    Condition.CIVIL_LIABILITY: "本单位依法登记成立，能够独立承担民事责任。",
    Condition.CAPACITY: "本单位有固定服务场所和专职人员，具备提供服务所需的专业能力。",
    Condition.GOVERNANCE: "本单位章程健全，设理事会和监事，内部治理结构完善。",
    Condition.FINANCE: "本单位执行《民间非营利组织会计制度》，财务会计和资产管理制度健全。",
    Condition.REPUTATION: "本单位近年未被列入失信名单，社会和商业信誉良好。",
    Condition.TAX_SOCIAL_INSURANCE: "本单位依法纳税并为员工缴纳社会保险，记录良好。",
    Condition.NO_MAJOR_VIOLATION: "本单位近三年经营活动中没有重大违法记录。",
    Condition.AUTHORITY_CONDITIONS: "本单位符合登记管理机关认定的其他条件，年检合格。",
}


def _authority(profile: ProviderProfile) -> Any:
    username = AUTHORITY_USERS.get(profile.authority_kind, FALLBACK_AUTHORITY_USER)
    return get_user_model().objects.get(username=username)


def _fill(profile: ProviderProfile, condition: str, *, submit: bool = True) -> DossierSection:
    section = DossierSection.objects.get(profile=profile, condition=condition)
    section = dossiers.update_statement(
        actor=None, section=section, version=section.version, statement=STATEMENTS[condition]
    )
    today = timezone.localdate()
    dossiers.add_document(
        actor=None,
        section=section,
        version=section.version,
        title=str(Condition(condition).label),
        file_name=f"{condition}.pdf",
        data=minimal_pdf(f"{profile.organisation.uscc} {condition}"),
        valid_from=today - dt.timedelta(days=200),
        valid_until=today + dt.timedelta(days=365) if condition == Condition.TAX_SOCIAL_INSURANCE else None,
    )
    section.refresh_from_db()
    if condition == Condition.CAPACITY:
        for name, position, qualification in (
            ("陈静", "项目主管", "中级社会工作师"),
            ("林涛", "护理员", "养老护理员（四级）"),
        ):
            dossiers.add_staff(
                actor=None,
                section=section,
                version=section.version,
                name=name,
                position=position,
                qualification=qualification,
                certificate_number=f"SW{profile.pk:04d}{len(name)}",
            )
            section.refresh_from_db()
    if condition == Condition.NO_MAJOR_VIOLATION:
        section = dossiers.sign_declaration(actor=None, section=section, version=section.version)
    if submit:
        section = dossiers.submit_section(actor=None, section=section, version=section.version)
    return section


def _accept(profile: ProviderProfile, section: DossierSection) -> None:
    dossiers.decide_section(
        actor=_authority(profile), section=section, version=section.version, decision="accepted", reason=""
    )


def _verify(profile: ProviderProfile) -> ProviderProfile:
    for condition in Condition.values:
        _accept(profile, DossierSection.objects.get(profile=profile, condition=condition))
    profile.refresh_from_db()
    return standing.verify_provider(actor=_authority(profile), profile=profile, version=profile.version)


def _expire_one(profile: ProviderProfile) -> None:
    """An old social-insurance certificate whose validity ended: the section shows "renew"."""
    section = DossierSection.objects.get(profile=profile, condition=Condition.TAX_SOCIAL_INSURANCE)
    today = timezone.localdate()
    # Added after verification, as the provider's earlier certificate; it reopens the section,
    # which the authority accepts again (the current certificate still covers it).
    dossiers.add_document(
        actor=None,
        section=section,
        version=section.version,
        title="社会保险缴费证明（上年度）",
        file_name="social-insurance-previous.pdf",
        data=minimal_pdf(f"{profile.organisation.uscc} social insurance previous"),
        valid_from=today - dt.timedelta(days=400),
        valid_until=today - dt.timedelta(days=15),
    )
    section.refresh_from_db()
    section = dossiers.submit_section(actor=None, section=section, version=section.version)
    _accept(profile, section)


def _service_areas(profile: ProviderProfile, count: int) -> None:
    items = list(services_items(profile)[:count])
    for item in items:
        if not ServiceArea.objects.filter(profile=profile, item_code=item.code).exists():
            related_parties.add_service_area(actor=None, profile=profile, item=item)


def services_items(profile: ProviderProfile) -> Any:
    from govbuy.providers.selectors import offerable_items

    return offerable_items(profile).filter(level__gte=3)


def load() -> int:
    """Create the profiles that are missing; return how many were created."""
    return timeline.load_alone(stories)


def stories() -> list[timeline.Story]:
    """Each provider opens its profile and files its dossier in the story's third week, one a
    day; its registration authority decides ten days later (govbuy.core.timeline)."""
    return [_provider(index, name, spec) for index, (name, spec) in enumerate(PLANS.items())]


def _provider(index: int, name: str, spec: tuple[str, str, int, str]) -> timeline.Story:
    plan, representative, serial, authority = spec
    yield timeline.day(14 + index, hour=9, minute=30)
    organisation = Organisation.objects.filter(name_zh=name).first()
    if organisation is None:
        return 0
    created = 0
    today = timezone.localdate()
    profile = ProviderProfile.objects.filter(organisation=organisation).first()
    if profile is None:
        profile = registration.open_profile(
            actor=None,
            organisation=organisation,
            registration_authority=authority,
            legal_representative=representative,
            legal_representative_id=resident_id(serial),
            registered_address=f"北京市{organisation.region.name_zh}示范路{index + 1}号",
            registration_date=today.replace(year=today.year - 5 - index),
            contact_name=representative,
            contact_phone=f"010-6500{index:04d}",
            contact_email=f"provider{index + 1}@example.org",
        )
        created += 1
        if plan in ("verified", "expired"):
            for condition in Condition.values:
                _fill(profile, condition)
            yield timeline.day(26 + index, hour=15)
            profile = _verify(profile)
        if plan == "expired":
            _expire_one(profile)
        if plan == "pending":
            for condition in Condition.values[:5]:
                _fill(profile, condition)
            _fill(profile, Condition.values[5], submit=False)
        if plan == "rejected":
            sections = [_fill(profile, condition) for condition in Condition.values[:3]]
            yield timeline.day(26 + index, hour=15)
            for section in sections:
                section.refresh_from_db()
                if section.condition == Condition.GOVERNANCE:
                    dossiers.decide_section(
                        actor=_authority(profile),
                        section=section,
                        version=section.version,
                        decision="rejected",
                        reason="章程未经登记管理机关核准，请上传核准后的章程。",
                    )
                else:
                    _accept(profile, section)
    profile.refresh_from_db()
    if profile.state == ProviderProfile.State.VERIFIED:
        _service_areas(profile, 2)
    return created
