"""Every read of the provider registry, scoped to the user: outside the scope a dossier does not
exist (404). Expiry is decided here, at read time, from the documents' dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govbuy.organizations import rules as org_rules
from govbuy.organizations.kinds import PROVIDER_KINDS, PURCHASER_KINDS, WRITE_ROLES
from govbuy.organizations.models import Organisation
from govbuy.organizations.scope import Scope, scope_for
from govbuy.providers import rules
from govbuy.providers.models import (
    Condition,
    ConditionPattern,
    DossierDocument,
    DossierSection,
    ProjectCondition,
    ProviderProfile,
    RelatedParty,
    Restriction,
    SectionDecision,
    StaffEntry,
)


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# --- Public directory --------------------------------------------------------------------------------


def public_directory(filters: Mapping[str, Any] | None = None) -> QuerySet[ProviderProfile]:
    """Verified providers, for everyone (no sign-in)."""
    qs = ProviderProfile.objects.filter(state=ProviderProfile.State.VERIFIED).select_related("organisation__region")
    f = filters or {}
    kind = str(f.get("kind") or "")
    if kind in PROVIDER_KINDS:
        qs = qs.filter(organisation__kind=kind)
    q = str(f.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(
            Q(organisation__name_zh__icontains=q)
            | Q(organisation__name_en__icontains=q)
            | Q(organisation__uscc=q.upper())
        )
    return qs.order_by("organisation__name_zh", "pk")


def public_provider(pk: Any) -> ProviderProfile:
    profile = public_directory().filter(pk=_pk(pk)).first()
    if profile is None:
        raise Http404
    return profile


# --- Staff side ----------------------------------------------------------------------------------------


def _reach_q(scope: Scope, kinds: Iterable[str] | None, roles: frozenset[str] | None = None) -> Q:
    """Profiles in the regions where the actor acts as one of `kinds` (None: the authority kind)."""
    q = Q(pk__in=[])
    for _org, kind, role, region_id, level in scope.memberships:
        if roles is not None and role not in roles:
            continue
        if kinds is None:
            if kind not in org_rules.VERIFIER_KINDS:
                continue
            cond = Q(authority_kind=kind)
        elif kind in kinds:
            cond = Q(pk__isnull=False)  # "everything"; an empty Q() would vanish in the OR below
        else:
            continue
        q |= cond if level == "city" else cond & Q(organisation__region_id=region_id)
    return q


def dossier_scope_q(scope: Scope) -> Q:
    if scope.is_platform_admin:
        return Q()
    return (
        Q(organisation_id__in=list(scope.organisation_ids))
        | _reach_q(scope, None)
        | _reach_q(scope, rules.READING_OVERSIGHT_KINDS)
    )


def visible_profiles(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[ProviderProfile]:
    scope = scope_for(user)
    if scope.is_anonymous:
        return ProviderProfile.objects.none()
    qs = ProviderProfile.objects.filter(dossier_scope_q(scope)).select_related("organisation__region")
    f = filters or {}
    state = str(f.get("state") or "")
    if state in ProviderProfile.State.values:
        qs = qs.filter(state=state)
    if str(f.get("awaiting") or "") in {"1", "true"}:
        qs = qs.filter(sections__status=DossierSection.Status.SUBMITTED).distinct()
    q = str(f.get("q") or "").strip()[:100]
    if q:
        qs = qs.filter(Q(organisation__name_zh__icontains=q) | Q(organisation__uscc=q.upper()))
    return qs.order_by("organisation__name_zh", "pk")


def profile_for(user: Any, pk: Any) -> ProviderProfile:
    profile = visible_profiles(user).filter(pk=_pk(pk)).first()
    if profile is None:
        raise Http404
    return profile


def own_profiles(user: Any) -> QuerySet[ProviderProfile]:
    scope = scope_for(user)
    return ProviderProfile.objects.filter(organisation_id__in=list(scope.organisation_ids)).select_related(
        "organisation__region"
    )


# --- The dossier, as the provider and the authority see it ------------------------------------------------


@dataclass
class DocumentView:
    document: DossierDocument
    expired: bool
    expiring: bool


@dataclass
class SectionView:
    section: DossierSection
    label: Any
    documents: list[DocumentView] = field(default_factory=list)
    withdrawn: list[DossierDocument] = field(default_factory=list)
    staff: list[StaffEntry] = field(default_factory=list)
    decisions: list[SectionDecision] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    expired: int = 0
    state: str = ""

    @property
    def condition(self) -> str:
        return self.section.condition

    @property
    def state_label(self) -> Any:
        return rules.DISPLAY_LABELS[self.state]

    @property
    def missing_labels(self) -> list[Any]:
        return [rules.MISSING_LABELS[m] for m in self.missing]

    @property
    def needs_attention(self) -> bool:
        return self.state in ("missing", "expired", "rejected")


def _sections_qs(profile_ids: list[int]) -> QuerySet[DossierSection]:
    return (
        DossierSection.objects.filter(profile_id__in=profile_ids)
        .prefetch_related(
            Prefetch("documents", queryset=DossierDocument.objects.order_by("-created_at", "-pk")),
            Prefetch("staff", queryset=StaffEntry.objects.order_by("pk")),
            Prefetch("decisions", queryset=SectionDecision.objects.select_related("decided_by")),
        )
        .order_by("profile_id", "pk")
    )


def _section_view(section: DossierSection, today: dt.date, warn_days: int) -> SectionView:
    view = SectionView(section=section, label=Condition(section.condition).label)
    for doc in section.documents.all():
        if doc.withdrawn_at is not None:
            view.withdrawn.append(doc)
            continue
        expired = rules.is_expired(doc.valid_until, today)
        view.documents.append(
            DocumentView(document=doc, expired=expired, expiring=rules.is_expiring(doc.valid_until, today, warn_days))
        )
        view.expired += int(expired)
    view.staff = list(section.staff.all())
    view.decisions = list(section.decisions.all())
    view.missing = rules.section_missing(
        section.condition,
        statement=section.statement,
        document_validity=[d.document.valid_until for d in view.documents],
        staff_count=len(view.staff),
        declaration_signed=section.declaration_signed_at is not None,
        today=today,
    )
    view.state = rules.display_state(section.status, missing=view.missing, expired=view.expired)
    return view


def _warn_days() -> int:
    from django.conf import settings

    return int(getattr(settings, "GOVBUY_DOCUMENT_EXPIRY_WARNING_DAYS", 30))


def dossier(profile: ProviderProfile) -> list[SectionView]:
    """The eight sections in statutory order, each with where it stands and what it lacks."""
    today = timezone.localdate()
    order = {c: i for i, c in enumerate(Condition.values)}
    views = [_section_view(s, today, _warn_days()) for s in _sections_qs([profile.pk])]
    return sorted(views, key=lambda v: order[v.condition])


def section_for(profile: ProviderProfile, condition: str) -> SectionView:
    if condition not in Condition.values:
        raise Http404
    section = _sections_qs([profile.pk]).filter(condition=condition).first()
    if section is None:
        raise Http404
    return _section_view(section, timezone.localdate(), _warn_days())


def document_for(user: Any, profile_pk: Any, document_pk: Any) -> DossierDocument:
    profile = profile_for(user, profile_pk)
    document = DossierDocument.objects.filter(pk=_pk(document_pk), section__profile=profile).first()
    if document is None:
        raise Http404
    return document


def staff_entry_for(profile: ProviderProfile, pk: Any) -> StaffEntry:
    entry = StaffEntry.objects.filter(pk=_pk(pk), section__profile=profile).first()
    if entry is None:
        raise Http404
    return entry


def offerable_items(profile: ProviderProfile) -> QuerySet[Any]:
    """Catalog items of published catalogs (the city's and the provider's district) it may name."""
    from govbuy.catalog.models import CatalogItem, CatalogVersion

    region = profile.organisation.region
    regions = [region.pk] + ([region.parent_id] if region.parent_id else [])
    return (
        CatalogItem.objects.filter(version__status=CatalogVersion.Status.PUBLISHED, version__region_id__in=regions)
        .filter(level__gte=2)
        .select_related("version")
        .order_by("code", "pk")
    )


def verification_ready(views: list[SectionView]) -> bool:
    return all(v.section.status == DossierSection.Status.ACCEPTED and not v.missing for v in views)


# --- To-do lists -------------------------------------------------------------------------------------------


def verification_queue(user: Any, limit: int = 10) -> tuple[list[ProviderProfile], int]:
    """For registration authorities: providers with sections awaiting a decision."""
    scope = scope_for(user)
    reach = _reach_q(scope, None, WRITE_ROLES)
    qs = (
        ProviderProfile.objects.filter(reach, sections__status=DossierSection.Status.SUBMITTED)
        .distinct()
        .select_related("organisation__region")
        .order_by("organisation__name_zh", "pk")
    )
    return list(qs[:limit]), qs.count()


def attention_needed(user: Any) -> list[tuple[ProviderProfile, list[SectionView]]]:
    """For a provider's staff: per own profile, the sections missing, expired or rejected."""
    profiles = list(own_profiles(user))
    if not profiles:
        return []
    today = timezone.localdate()
    by_profile: dict[int, list[SectionView]] = {p.pk: [] for p in profiles}
    for section in _sections_qs(list(by_profile)):
        view = _section_view(section, today, _warn_days())
        if view.needs_attention:
            by_profile[section.profile_id].append(view)
    return [(p, by_profile[p.pk]) for p in profiles]


# --- Related parties -------------------------------------------------------------------------------------------


def related_parties(organisation_id: int) -> QuerySet[RelatedParty]:
    return (
        RelatedParty.objects.filter(Q(first_id=organisation_id) | Q(second_id=organisation_id), ended_at__isnull=True)
        .select_related("first", "second")
        .order_by("pk")
    )


def related_pairs(organisation_ids: Iterable[int]) -> set[tuple[int, int]]:
    """For procurement (Reg. Art. 18): the pairs among these providers that may not bid in one lot."""
    ids = sorted(set(organisation_ids))
    if len(ids) < 2:
        return set()
    rows = RelatedParty.objects.filter(first_id__in=ids, second_id__in=ids, ended_at__isnull=True).values_list(
        "first_id", "second_id"
    )
    return {(a, b) for a, b in rows}


def eligibility(organisation_id: int) -> dict[str, Any]:
    """For procurement: the provider's state now and what stands against it (read-time expiry)."""
    profile = ProviderProfile.objects.filter(organisation_id=organisation_id).first()
    if profile is None:
        return {"registered": False, "state": None, "issues": ["not_registered"]}
    views = dossier(profile)
    issues = [f"{v.condition}:{v.state}" for v in views if v.state != "accepted"]
    return {"registered": True, "state": profile.state, "verified": profile.state == "verified", "issues": issues}


class Gate(StrEnum):
    """The moments at which a provider's right to take part is checked (the credit system's bans
    apply at each, design/rules.md "Credit and bans")."""

    BID = "bid"
    INVITATION = "invitation"
    AWARD = "award"
    SIGNING = "signing"
    COMMISSION = "commission"
    DELIVERY = "delivery"


@dataclass(frozen=True)
class Participation:
    allowed: bool
    code: str  # "ok", "not_registered", "not_verified", "banned", "suspended"
    message: str
    restriction: Restriction | None = None


def active_restrictions(at: dt.datetime | None = None) -> QuerySet[Restriction]:
    """Restrictions in force at `at` (now): started, not ended, not lifted. Read-time expiry."""
    moment = at or timezone.now()
    return Restriction.objects.filter(starts_at__lte=moment, ends_at__gt=moment).filter(
        Q(lifted_at__isnull=True) | Q(lifted_at__gt=moment)
    )


def restriction_message(restriction: Restriction) -> str:
    last_day = rules.restriction_last_day(restriction.ends_at)
    values = {
        "end": last_day.isoformat(),
        "basis": restriction.legal_basis,
        "authority": restriction.authority_name,
    }
    if restriction.kind == Restriction.Kind.BAN:
        return str(
            _("This provider is banned until %(end)s (%(basis)s, decided by %(authority)s) and may not take part.")
            % values
        )
    return str(
        _("This provider is suspended until %(end)s (%(basis)s, by %(authority)s) and may not take part.") % values
    )


def participation(
    organisation_id: int, *, gate: Gate, at: dt.datetime | None = None, lock: bool = False
) -> Participation:
    """May this provider take part at `gate`, now? Read at the moment of the request, so a state
    change (verification, a ban's or suspension's start or end) needs no job to take effect.
    Every gate of every app asks here; nothing else decides it.

    lock=True (inside the gate's transaction) locks the provider's row, which the services that
    impose a restriction lock too: the gate and the ban queue, so whatever commits after a ban
    was checked against it."""
    qs = ProviderProfile.objects.filter(organisation_id=organisation_id)
    if lock:
        qs = qs.select_for_update(of=("self",))
    profile = qs.only("pk", "state").first()
    if profile is None:
        return Participation(False, "not_registered", str(_("This organisation is not registered as a provider.")))
    restriction = active_restrictions(at).filter(profile_id=profile.pk).order_by("-ends_at", "pk").first()
    if restriction is not None:
        code = "banned" if restriction.kind == Restriction.Kind.BAN else "suspended"
        return Participation(False, code, restriction_message(restriction), restriction)
    if profile.state != ProviderProfile.State.VERIFIED:
        return Participation(
            False, "not_verified", str(_("Only providers verified by their registration authority may take part."))
        )
    return Participation(True, "ok", "")


def restrictions_of(profile: ProviderProfile) -> list[Restriction]:
    """A provider's bans and suspensions, current and past (its page lists them all)."""
    return list(Restriction.objects.filter(profile=profile).order_by("-starts_at", "-pk"))


def participating_ids(*, gate: Gate, at: dt.datetime | None = None) -> list[int]:
    """The organisation ids that participation() would allow at `gate` (the invitation draw reads
    the whole list at once), in ascending order."""
    restricted = active_restrictions(at).values("profile_id")
    return sorted(
        ProviderProfile.objects.filter(state=ProviderProfile.State.VERIFIED)
        .exclude(pk__in=restricted)
        .values_list("organisation_id", flat=True)
    )


# --- Project conditions ------------------------------------------------------------------------------------------


def visible_conditions(user: Any, filters: Mapping[str, Any] | None = None) -> QuerySet[ProjectCondition]:
    scope = scope_for(user)
    if scope.is_anonymous:
        return ProjectCondition.objects.none()
    qs = ProjectCondition.objects.filter(scope.owned_q("purchaser")).select_related(
        "purchaser__region", "created_by", "decided_by"
    )
    f = filters or {}
    status = str(f.get("status") or "")
    if status in ProjectCondition.Status.values:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-pk")


def condition_for(user: Any, pk: Any) -> ProjectCondition:
    condition = visible_conditions(user).filter(pk=_pk(pk)).first()
    if condition is None:
        raise Http404
    return condition


def pending_conditions(user: Any, limit: int = 10) -> tuple[list[ProjectCondition], int]:
    """For finance bureaus: flagged conditions in their region awaiting approval."""
    scope = scope_for(user)
    q = Q(pk__in=[])
    for _org, kind, role, region_id, level in scope.memberships:
        if kind == "finance_bureau" and role in WRITE_ROLES:
            q |= Q(pk__isnull=False) if level == "city" else Q(purchaser__region_id=region_id)
    qs = (
        ProjectCondition.objects.filter(q, status=ProjectCondition.Status.PENDING_APPROVAL)
        .select_related("purchaser")
        .order_by("created_at", "pk")
    )
    return list(qs[:limit]), qs.count()


def conditions_in_force(purchaser_id: int, project_reference: str) -> QuerySet[ProjectCondition]:
    """The conditions a procurement applies to bids: in force, or flagged and approved."""
    return ProjectCondition.objects.filter(
        purchaser_id=purchaser_id,
        project_reference=project_reference,
        status__in=[ProjectCondition.Status.IN_FORCE, ProjectCondition.Status.APPROVED],
    ).order_by("pk")


def purchasers_for_conditions(user: Any) -> QuerySet[Organisation]:
    scope = scope_for(user)
    ids = [m.organisation_id for m in scope.memberships if m.kind in PURCHASER_KINDS and m.writes]
    return Organisation.objects.filter(pk__in=ids).order_by("name_zh")


def patterns(user: Any) -> QuerySet[ConditionPattern]:
    scope = scope_for(user)
    if scope.is_anonymous or not (scope.is_platform_admin or scope.memberships):
        return ConditionPattern.objects.none()
    return ConditionPattern.objects.order_by("category", "code")


def pattern_for(user: Any, pk: Any) -> ConditionPattern:
    pattern = patterns(user).filter(pk=_pk(pk)).first()
    if pattern is None:
        raise Http404
    return pattern


# --- Registration-authority report ------------------------------------------------------------------------------


def authority_profiles(user: Any) -> QuerySet[ProviderProfile]:
    """The providers a registration authority verifies (for its annual-inspection report)."""
    scope = scope_for(user)
    if scope.is_platform_admin:
        return ProviderProfile.objects.select_related("organisation__region").order_by("organisation__name_zh", "pk")
    return (
        ProviderProfile.objects.filter(_reach_q(scope, None))
        .select_related("organisation__region")
        .order_by("organisation__name_zh", "pk")
    )


def report_rows(profiles: list[ProviderProfile]) -> list[tuple[ProviderProfile, list[SectionView]]]:
    today = timezone.localdate()
    by_profile: dict[int, list[SectionView]] = {p.pk: [] for p in profiles}
    for section in _sections_qs(list(by_profile)):
        by_profile[section.profile_id].append(_section_view(section, today, _warn_days()))
    order = {c: i for i, c in enumerate(Condition.values)}
    return [(p, sorted(by_profile[p.pk], key=lambda v: order[v.condition])) for p in profiles]
