from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "govbuy.audit"
    label = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from django.core.checks import register as register_check

        from govbuy.audit import describe
        from govbuy.audit.checks import check_audit_settings
        from govbuy.audit.home import audit_home_section
        from govbuy.audit.selectors import audit_access
        from govbuy.core.home import register_home_section
        from govbuy.core.navigation import NavEntry, register

        register_check(check_audit_settings, "security")
        describe.register_formatter("audit.checkpoint.created", describe_checkpoint_created)
        describe.register_checkpoint_reason("daily", _("the daily checkpoint"))
        describe.register_formatter("audit.verify.completed", describe_verify_completed)
        register(
            NavEntry(
                label=_("Audit trail"),
                url_name="audit:event_list",
                visible=lambda request: audit_access(request.user) is not None,
                order=900,
            )
        )
        register_home_section(audit_home_section, order=900)


def describe_checkpoint_created(event, values) -> str:
    from govbuy.audit import describe

    raw = (event.data or {}).get("reason", "") if isinstance(event.data, dict) else ""
    values["reason"] = describe.checkpoint_reason(str(raw))
    return str(_("{actor} signed a checkpoint of the audit chain at position {position} ({reason})")).format_map(values)


def describe_verify_completed(event, values) -> str:
    if values.get("ok") is True:
        return str(_("{actor} verified the audit chain: intact, {checked} events checked")).format_map(values)
    return str(
        _("{actor} verified the audit chain: broken at position {first_broken_position} ({checked} events checked)")
    ).format_map(values)
