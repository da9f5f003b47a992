"""Writes to department budgets: budgets, expenditure lines, the spreadsheet import, and the
public-tender threshold. Keyword-only, with `actor` (None is the system: the demo loader)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from govbuy.audit.services import record_event
from govbuy.core.errors import Conflict, NotFound, PermissionRefused, ValidationFailed
from govbuy.core.spreadsheets import ImportOutcome, read_rows
from govbuy.organizations.kinds import PURCHASER_KINDS
from govbuy.organizations.models import Organisation, Region
from govbuy.organizations.scope import scope_for
from govbuy.planning import rules
from govbuy.planning.models import Budget, BudgetLine, TenderThreshold

IMPORT_COLUMNS = ("code", "name", "amount")
HEADER_ALIASES = {
    "code": "code",
    "经济分类代码": "code",
    "經濟分類代碼": "code",
    "economic classification code": "code",
    "name": "name",
    "名称": "name",
    "名稱": "name",
    "科目名称": "name",
    "amount": "amount",
    "金额": "amount",
    "金額": "amount",
    "金额（元）": "amount",
    "amount (yuan)": "amount",
}


def _check_purchaser(actor: Any, purchaser: Organisation) -> None:
    if actor is None:
        return
    if not rules.may_act_for_purchaser(scope_for(actor), purchaser.pk):
        raise PermissionRefused(_("Only the purchaser's own staff may compile its budget."))


def _clean_code(code: Any) -> str:
    text = str(code or "").strip()
    if not text or len(text) > 20 or not all(c.isalnum() or c in "-." for c in text):
        raise ValidationFailed(
            _("An economic classification code has letters, digits, “-” or “.” (at most 20), e.g. 30227."),
            code="line_code",
            fields={"code": [_("Enter a valid economic classification code.")]},
        )
    return text


def _clean_name(name: Any) -> str:
    text = str(name or "").strip()
    if not text:
        raise ValidationFailed(_("Name the budget line."), code="line_name", fields={"name": [_("Required.")]})
    return text[:200]


def create_budget(*, actor: Any, purchaser: Organisation, fiscal_year: Any, note: str = "") -> Budget:
    if purchaser.kind not in PURCHASER_KINDS:
        raise ValidationFailed(_("Only a purchaser has a department budget for purchases of services."))
    _check_purchaser(actor, purchaser)
    year = rules.check_year(fiscal_year)
    try:
        with transaction.atomic():
            budget = Budget.objects.create(
                purchaser=purchaser, region_id=purchaser.region_id, fiscal_year=year, note=(note or "")[:2000]
            )
            record_event(
                actor=actor,
                action="planning.budget.created",
                obj=budget,
                organisation=purchaser,
                data={"year": year, "purchaser": purchaser.name_zh},
            )
    except IntegrityError:
        raise Conflict(
            _("The %(year)d budget of this purchaser exists already.") % {"year": year}, code="budget_exists"
        ) from None
    return budget


def add_line(*, actor: Any, budget: Budget, code: Any, name: Any, amount: Any) -> BudgetLine:
    _check_purchaser(actor, budget.purchaser)
    clean_code = _clean_code(code)
    clean_name = _clean_name(name)
    value = rules.check_amount(amount)
    try:
        with transaction.atomic():
            line = BudgetLine.objects.create(
                budget=budget, code=clean_code, name=clean_name, budgeted_amount=value, amount=value
            )
            record_event(
                actor=actor,
                action="planning.line.added",
                obj=line,
                organisation=budget.purchaser,
                data={"code": clean_code, "name": clean_name, "amount": str(value), "year": budget.fiscal_year},
            )
    except IntegrityError:
        message = _("The budget has a line %(code)s already.") % {"code": clean_code}
        raise ValidationFailed(message, code="line_exists", fields={"code": [message]}) from None
    return line


def _apply_amount(line: BudgetLine, budgeted: Decimal) -> Decimal:
    """A change of the budgeted amount moves what the line holds by the same difference; it may
    not fall below what projects have committed."""
    new_amount = line.amount + (budgeted - line.budgeted_amount)
    if new_amount < line.committed:
        message = _(
            "Projects have committed %(committed)s yuan of this line; it cannot hold less (it would hold %(amount)s)."
        ) % {"committed": line.committed, "amount": new_amount}
        raise ValidationFailed(message, code="line_below_committed", fields={"amount": [message]})
    return new_amount


def update_line(
    *, actor: Any, line: BudgetLine | int, version: int, name: Any = None, amount: Any = None
) -> BudgetLine:
    pk = line.pk if isinstance(line, BudgetLine) else int(line)
    with transaction.atomic():
        locked = BudgetLine.objects.select_for_update().select_related("budget__purchaser").filter(pk=pk).first()
        if locked is None:
            raise NotFound()
        _check_purchaser(actor, locked.budget.purchaser)
        if locked.version != int(version):
            raise Conflict()
        changes: dict[str, Any] = {}
        if name is not None:
            clean = _clean_name(name)
            if clean != locked.name:
                changes["name"] = (locked.name, clean)
                locked.name = clean
        if amount is not None:
            budgeted = rules.check_amount(amount)
            if budgeted != locked.budgeted_amount:
                new_amount = _apply_amount(locked, budgeted)
                changes["budgeted_amount"] = (str(locked.budgeted_amount), str(budgeted))
                changes["amount"] = (str(locked.amount), str(new_amount))
                locked.budgeted_amount = budgeted
                locked.amount = new_amount
        if not changes:
            return locked
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action="planning.line.changed",
            obj=locked,
            organisation=locked.budget.purchaser,
            changes=changes,
            data={"code": locked.code, "fields": ", ".join(changes)},
        )
    return locked


# --- Spreadsheet import ----------------------------------------------------------------------------


def max_import_rows() -> int:
    return int(getattr(settings, "PLANNING_IMPORT_MAX_ROWS", 2000))


def read_lines(*, name: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """Check the upload and read the first sheet, bounded in rows (govbuy.core.spreadsheets).
    A formula stays its text, which the amount check then refuses instead of trusting a value
    another program computed."""
    rows, _inspected = read_rows(
        name=name,
        data=data,
        allowed=frozenset({"xlsx"}),
        max_bytes=int(getattr(settings, "GOVBUY_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)),
        max_rows=max_import_rows(),
    )
    _header_number, header = rows[0]
    columns = [HEADER_ALIASES.get(h.strip().lower(), HEADER_ALIASES.get(h.strip(), "")) for h in header]
    missing = [c for c in IMPORT_COLUMNS if c not in columns]
    if missing:
        message = _("The first row must name the columns code, name and amount (or 经济分类代码, 名称, 金额).")
        raise ValidationFailed(message, code="bad_header", fields={"file": [message]})
    out = []
    for number, texts in rows[1:]:
        values = {col: (texts[i] if i < len(texts) else "") for i, col in enumerate(columns) if col}
        out.append((number, values))
    return out


def import_lines(*, actor: Any, budget: Budget, file_name: str, data: bytes) -> ImportOutcome[Budget]:
    """Add or update the budget's lines from an .xlsx. Every faulty row is listed and, if there is
    any, nothing is written."""
    _check_purchaser(actor, budget.purchaser)
    rows = read_lines(name=file_name, data=data)
    errors: list[str] = []
    parsed: dict[str, tuple[str, Decimal, int]] = {}
    for number, values in rows:
        try:
            code = _clean_code(values.get("code"))
            name = _clean_name(values.get("name"))
            amount = rules.check_amount(values.get("amount"))
        except ValidationFailed as exc:
            errors.append(str(_("Row %(n)d: %(message)s") % {"n": number, "message": exc.message}))
            continue
        if code in parsed:
            errors.append(
                str(
                    _("Row %(n)d: line %(code)s appears already in row %(first)d.")
                    % {"n": number, "code": code, "first": parsed[code][2]}
                )
            )
            continue
        parsed[code] = (name, amount, number)
    outcome = ImportOutcome(rows=len(rows), target=budget)
    with transaction.atomic():
        Budget.objects.select_for_update().filter(pk=budget.pk).first()
        existing = {line.code: line for line in BudgetLine.objects.select_for_update().filter(budget=budget)}
        for code, (_name, amount, number) in parsed.items():
            line = existing.get(code)
            if line is not None and line.amount + (amount - line.budgeted_amount) < line.committed:
                errors.append(
                    str(
                        _(
                            "Row %(n)d: projects have committed %(committed)s yuan of line %(code)s; "
                            "it cannot hold less."
                        )
                        % {"n": number, "committed": line.committed, "code": code}
                    )
                )
        if errors:
            message = _("The spreadsheet has %(n)d faulty rows; nothing was imported.") % {"n": len(errors)}
            raise ValidationFailed(message, code="import_rows", fields={"file": errors})
        for code, (name, amount, _number) in parsed.items():
            line = existing.get(code)
            if line is None:
                BudgetLine.objects.create(budget=budget, code=code, name=name, budgeted_amount=amount, amount=amount)
                outcome.created += 1
            elif (line.name, line.budgeted_amount) != (name, amount):
                line.amount = line.amount + (amount - line.budgeted_amount)
                line.budgeted_amount = amount
                line.name = name
                line.version += 1
                line.save()
                outcome.updated += 1
        record_event(
            actor=actor,
            action="planning.budget.imported",
            obj=budget,
            organisation=budget.purchaser,
            data={"file": file_name[:200], "created": outcome.created, "updated": outcome.updated},
        )
    return outcome


# --- Threshold ---------------------------------------------------------------------------------------


def set_threshold(
    *, actor: Any, region: Region, amount: Any, version: int | None = None, source: str = ""
) -> TenderThreshold:
    """The city finance bureau sets the public-tender threshold for services of a region."""
    if actor is not None and not rules.may_edit_threshold(scope_for(actor)):
        raise PermissionRefused(_("Only the city finance bureau sets the public-tender threshold."))
    value = rules.check_amount(amount, allow_zero=False)
    with transaction.atomic():
        row = TenderThreshold.objects.select_for_update().filter(region=region).first()
        before = None
        if row is None:
            if version not in (None, 0):
                raise Conflict()
            row = TenderThreshold(region=region, amount=value, source=(source or "")[:300])
        else:
            if version is not None and row.version != int(version):
                raise Conflict()
            before = str(row.amount)
            row.amount = value
            row.source = (source or "")[:300]
            row.version += 1
        row.save()
        record_event(
            actor=actor,
            action="planning.threshold.set",
            obj=row,
            region_id=region.pk,
            changes={"amount": (before, str(value))},
            data={"region": region.name_zh, "amount": str(value)},
        )
    return row
