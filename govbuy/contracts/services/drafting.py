"""Drawing a contract (Order 102 Art. 23) from a confirmed award or from an approved commission
outside the procurement scope, its milestone schedule, the provider's payee account and the PDF
rendered from the template the city finance bureau edits (stored with its sha256)."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.template import Context, Template, TemplateSyntaxError
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.contracts import rules
from govbuy.contracts.models import Basis, BondForm, Contract, ContractStatus, ContractTemplate, Milestone, PayeeAccount
from govbuy.contracts.pdf import PDF_TEMPLATE
from govbuy.contracts.services import common
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, TransitionRefused, ValidationFailed
from govbuy.core.money import parse_decimal, to_yuan
from govbuy.core.storage import save_once
from govbuy.organizations.scope import scope_for
from govbuy.planning.models import Method, Project, ProjectStatus
from govbuy.procurement.models import Award, AwardStatus
from govbuy.procurement.selectors.panels import signing_allowed
from govbuy.providers.selectors import Gate

COMMISSION_METHODS = frozenset({Method.CONTRACT, Method.COMMISSION})
COMMISSION_STATES = frozenset({ProjectStatus.APPROVED, ProjectStatus.IN_PLAN})


def _text(value: Any, field: str, limit: int, *, required: bool = True) -> str:
    message: Any
    cleaned = str(value or "").strip()
    if required and not cleaned:
        message = _("This field is required.")
        raise ValidationFailed(message, fields={field: [message]})
    if len(cleaned) > limit:
        message = _("Give at most %(n)d characters.") % {"n": limit}
        raise ValidationFailed(message, fields={field: [message]})
    return cleaned


def quantity_quality_of(project: Project) -> str:
    """The quantity and quality terms, from the project's cost lines and performance targets."""
    lines = [f"{c.description}：{c.quantity.normalize():f} {c.unit}" for c in project.cost_lines.all()]
    targets = [
        f"{t.name}：{t.get_direction_display()} {t.target_value.normalize():f} {t.unit}" for t in project.targets.all()
    ]
    return "\n".join(["服务数量：", *lines, "绩效目标：", *targets])


DEFAULT_SETTLEMENT = "按合同约定的履约阶段，经甲方验收合格后，向乙方账户支付该阶段对应款项。"
DEFAULT_RIGHTS = "甲方有权监督项目实施并组织验收；乙方应按时、按质、按量履行合同，不得转包。"
DEFAULT_LIABILITY = "任何一方违约的，应承担违约责任；乙方转包的，甲方有权解除合同并报告财政部门。"


def _terms(project: Project, terms: dict[str, Any], value: Decimal) -> dict[str, Any]:
    start = terms.get("period_start") or project.period_start
    end = terms.get("period_end") or project.period_end
    if not isinstance(start, date) or not isinstance(end, date):
        raise ValidationFailed(_("Give the contract period."), fields={"period_start": [_("Invalid date.")]})
    out: dict[str, Any] = {
        "content": _text(terms.get("content") or project.service_description, "content", 8000),
        "quantity_quality": _text(
            terms.get("quantity_quality") or quantity_quality_of(project), "quantity_quality", 8000
        ),
        "settlement": _text(terms.get("settlement") or DEFAULT_SETTLEMENT, "settlement", 4000),
        "rights_duties": _text(terms.get("rights_duties") or DEFAULT_RIGHTS, "rights_duties", 4000),
        "liability": _text(terms.get("liability") or DEFAULT_LIABILITY, "liability", 4000),
        "period_start": start,
        "period_end": end,
        "recurring": project.recurring,
        "stable_content": project.stable_content,
        "budget_secured": project.budget_secured,
        "bond_amount": to_yuan(terms.get("bond_amount") or "0"),
        "bond_form": str(terms.get("bond_form") or BondForm.NONE),
        "no_financing_guarantee": bool(terms.get("no_financing_guarantee")),
    }
    rules.check_term(
        start, end, rules.TermConditions(project.recurring, project.stable_content, project.budget_secured)
    )
    rules.check_bond(out["bond_amount"], out["bond_form"], value)
    if out["bond_form"] not in BondForm.values:
        raise ValidationFailed(_("Unknown form of bond."), fields={"bond_form": [_("Unknown form of bond.")]})
    rules.check_no_financing_guarantee(out["no_financing_guarantee"])
    return out


def draw_from_award(*, actor: Any, award: Award | int, **terms: Any) -> Contract:
    """Draw the contract of one confirmed award. Refused while a challenge or complaint suspends
    signing, and when the provider is no longer verified (or suspended or banned)."""
    pk = award.pk if isinstance(award, Award) else int(award)
    with transaction.atomic():
        target = (
            Award.objects.select_for_update(of=("self",))
            .select_related("tender__purchaser", "tender__project", "tender__region", "lot", "provider")
            .filter(pk=pk)
            .first()
        )
        if target is None:
            raise NotFound()
        tender = target.tender
        if not common.purchaser_staff(scope_for(actor), tender.purchaser_id):
            raise NotFound() if not scope_for(actor).sees_organisation(tender.purchaser) else PermissionRefused()
        if target.status != AwardStatus.ACTIVE or target.confirmed_at is None:
            raise TransitionRefused(_("A contract is drawn from a confirmed award only."))
        if Contract.objects.filter(award=target).exists():
            raise Conflict(_("The contract of this award has already been drawn."))
        if not signing_allowed(tender):
            raise TransitionRefused(
                _(
                    "The contract cannot be signed while a challenge awaits its answer or a complaint was upheld "
                    "(Reg. Art. 54)."
                ),
                code="signing_suspended",
            )
        common.check_participation(target.provider_id, Gate.SIGNING)
        project = tender.project
        values = _terms(project, terms, target.amount)
        lots = tender.lots.count()
        title = tender.title if lots == 1 else f"{tender.title}（第{target.lot.number}包）"
        contract = Contract.objects.create(
            reference=f"{tender.reference}-HT{target.lot.number}"[:48],
            title=title[:200],
            basis=Basis.AWARD,
            purchaser=tender.purchaser,
            provider=target.provider,
            region=tender.region,
            project=project,
            award=target,
            award_notice_at=target.confirmed_at,
            original_value=target.amount,
            value=target.amount,
            created_by=actor,
            **values,
        )
        _drawn(actor, contract)
    return contract


def draw_from_commission(
    *, actor: Any, project: Project | int, provider: Any, value: Any, reason: str, **terms: Any
) -> Contract:
    """Outside the procurement scope a purchase may be made by contract or commission (§三.四):
    an approved project planned that way, with its written reason."""
    pk = project.pk if isinstance(project, Project) else int(project)
    reason = rules.check_reason(reason)
    amount = to_yuan(value)
    if amount <= 0:
        raise ValidationFailed(
            _("The value must be above zero."), fields={"value": [_("The value must be above zero.")]}
        )
    provider_id = getattr(provider, "pk", provider)
    with transaction.atomic():
        target = (
            Project.objects.select_for_update(of=("self",)).select_related("purchaser", "region").filter(pk=pk).first()
        )
        if target is None:
            raise NotFound()
        scope = scope_for(actor)
        if not common.purchaser_staff(scope, target.purchaser_id):
            raise NotFound() if not scope.sees_organisation(target.purchaser) else PermissionRefused()
        if target.in_procurement_scope or target.suggested_method not in COMMISSION_METHODS:
            raise TransitionRefused(
                _("Only a project outside the procurement scope planned as a commission is commissioned directly.")
            )
        if target.status not in COMMISSION_STATES:
            raise TransitionRefused(_("The project must be approved before it is commissioned."))
        rules.check_commission_value(amount, target.estimate)
        common.check_participation(int(provider_id), Gate.COMMISSION)
        from govbuy.organizations.models import Organisation

        supplier = Organisation.objects.get(pk=provider_id)
        values = _terms(target, terms, amount)
        number = Contract.objects.filter(project=target).count() + 1
        contract = Contract.objects.create(
            reference=f"{target.reference}-WT{number}"[:48],
            title=target.title,
            basis=Basis.COMMISSION,
            purchaser=target.purchaser,
            provider=supplier,
            region=target.region,
            project=target,
            commission_reason=reason,
            award_notice_at=common.now(),
            original_value=amount,
            value=amount,
            created_by=actor,
            **values,
        )
        _drawn(actor, contract)
    return contract


def _drawn(actor: Any, contract: Contract) -> None:
    common.audit(
        actor=actor,
        action="contracts.contract.drawn",
        contract=contract,
        data={"value": str(contract.value), "basis": contract.basis, "title": contract.title},
    )


def set_milestones(*, actor: Any, contract: Contract | int, version: int, milestones: list[dict[str, Any]]) -> Contract:
    """The schedule, replaced as a whole while the contract is a draft; shares sum to 100."""
    rows = [
        rules.MilestoneInput(
            title=str(m.get("title") or "").strip()[:200],
            due_date=m["due_date"]
            if isinstance(m.get("due_date"), date)
            else date.fromisoformat(str(m.get("due_date"))),
            percentage=parse_decimal(m.get("percentage") or "0"),
            quantity_target=str(m.get("quantity_target") or "").strip()[:300],
            quality_target=str(m.get("quality_target") or "").strip()[:300],
            kind=str(m.get("kind") or "delivery"),
            needs_evaluation=m.get("needs_evaluation") in (True, "true", "1", "on", "yes"),
        )
        for m in milestones
    ]
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_purchaser(actor, locked)
        if locked.status != ContractStatus.DRAFT:
            raise TransitionRefused(_("The schedule is fixed once the provider has signed."))
        rules.check_milestones(rows, locked.period_start, locked.period_end)
        locked.milestones.all().delete()
        Milestone.objects.bulk_create(
            [
                Milestone(
                    contract=locked,
                    sequence=i,
                    title=row.title,
                    kind=row.kind if row.kind in ("delivery", "financing") else "delivery",
                    due_date=row.due_date,
                    percentage=row.percentage,
                    quantity_target=row.quantity_target,
                    quality_target=row.quality_target,
                    needs_evaluation=row.needs_evaluation,
                )
                for i, row in enumerate(rows, start=1)
            ]
        )
        common.bump(locked)
        common.audit(actor=actor, action="contracts.contract.schedule_set", contract=locked, data={"count": len(rows)})
    return locked


def add_payee_account(
    *, actor: Any, organisation: Any, bank_name: str, account_name: str, account_number: str
) -> PayeeAccount:
    """A provider names a bank account of its own for payments."""
    org_id = int(getattr(organisation, "pk", organisation))
    scope = scope_for(actor)
    if org_id not in scope.acting_providers():
        raise NotFound()
    number = "".join(str(account_number or "").split())
    if not number.isdigit() or not 8 <= len(number) <= 40:
        message = _("An account number has 8 to 40 digits.")
        raise ValidationFailed(message, fields={"account_number": [message]})
    with transaction.atomic():
        if PayeeAccount.objects.filter(organisation_id=org_id, account_number=number).exists():
            raise Conflict(_("This account is already on record."))
        account = PayeeAccount.objects.create(
            organisation_id=org_id,
            bank_name=_text(bank_name, "bank_name", 200),
            account_name=_text(account_name, "account_name", 200),
            account_number=number,
            created_by=actor,
        )
        record_event(
            actor=actor,
            action="contracts.payee.added",
            obj=account,
            organisation=account.organisation,
            data={"bank": account.bank_name, "number": f"****{number[-4:]}"},
        )
        from govbuy.contracts.services import subcontracting

        holders = set(PayeeAccount.objects.filter(account_number=number).values_list("organisation_id", flat=True))
        for holder in sorted(holders):
            subcontracting.refresh_flags_of_provider(holder)
    return account


def choose_payee(*, actor: Any, contract: Contract | int, version: int, account: PayeeAccount | int) -> Contract:
    with transaction.atomic():
        locked = common.lock_contract(contract, version)
        common.check_provider(actor, locked)
        if locked.status != ContractStatus.DRAFT:
            raise TransitionRefused(_("The payee account is named before the provider signs."))
        pk = account.pk if isinstance(account, PayeeAccount) else int(account)
        chosen = PayeeAccount.objects.filter(pk=pk, organisation_id=locked.provider_id).first()
        if chosen is None:
            message = _(
                "Payments go only to the contracting provider's own account; a payment to anyone else is refused."
            )
            raise ValidationFailed(message, fields={"payee": [message]})
        locked.payee = chosen
        common.bump(locked)
        common.audit(
            actor=actor,
            action="contracts.contract.payee_chosen",
            contract=locked,
            data={"number": f"****{chosen.account_number[-4:]}"},
        )
    return locked


# --- The PDF ---------------------------------------------------------------------------------------


def render_pdf(contract: Contract) -> bytes:
    from weasyprint import HTML

    context = {"contract": contract, "milestones": list(contract.milestones.order_by("sequence"))}
    template = ContractTemplate.objects.order_by("-pk").first()
    with translation.override("zh-hans"), timezone.override("Asia/Shanghai"):
        if template is None:
            html = render_to_string(PDF_TEMPLATE, context)
        else:
            html = Template(template.body).render(Context(context, autoescape=True))
    return bytes(HTML(string=html).write_pdf())


def store_pdf(contract: Contract) -> str:
    """Render, store once under its hash and record the hash on the contract (caller saves)."""
    pdf = render_pdf(contract)
    digest = hashlib.sha256(pdf).hexdigest()
    contract.pdf_path = save_once(
        path=f"contracts/{digest[:2]}/{contract.reference}-{digest[:16]}.pdf", data=pdf, sha256=digest
    )
    contract.pdf_sha256 = digest
    return digest


def edit_template(*, actor: Any, body: str, note: str = "", version: int | None = None) -> ContractTemplate:
    """The city finance bureau edits the contract text; a new row keeps the old ones traceable."""
    if not scope_for(actor).is_city_finance():
        raise PermissionRefused(_("Only the city finance bureau edits the contract template."))
    text = _text(body, "body", 40000)
    try:
        Template(text)
    except TemplateSyntaxError as err:
        message = _("The template has an error: %(error)s") % {"error": err}
        raise ValidationFailed(message, fields={"body": [message]}) from None
    with transaction.atomic():
        current = ContractTemplate.objects.select_for_update().order_by("-pk").first()
        current_version = current.version if current else 0
        if version is not None and int(version) != current_version:
            raise Conflict()
        row = ContractTemplate.objects.create(
            body=text, note=str(note or "").strip()[:300], created_by=actor, version=current_version + 1
        )
        record_event(
            actor=actor, action="contracts.template.edited", obj=row, data={"note": row.note, "version": row.version}
        )
    return row
