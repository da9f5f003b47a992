from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CreditConfig(AppConfig):
    name = "govbuy.credit"
    label = "credit"
    verbose_name = _("Provider credit")

    def ready(self) -> None:
        from govbuy.audit.describe import register_labelled
        from govbuy.core import facts
        from govbuy.credit.services import records

        sentences = {
            "credit.fact.recorded": _("{actor} recorded credit fact “{kind}” of {name}: {summary}"),
            "credit.fact.entered": _("{actor} entered credit fact “{kind}” of {name} for confirmation: {summary}"),
            "credit.fact.referred": _(
                "{actor} referred credit fact “{kind}” of {name} to {authority} for confirmation: {summary}"
            ),
            "credit.fact.confirmed": _("{actor} confirmed credit fact “{kind}” of {name}"),
            "credit.fact.corrected": _("{actor} corrected credit fact #{corrected} of {name}: {summary}"),
            "credit.objection.filed": _("{actor} objected to credit fact #{fact} of {name}"),
            "credit.objection.decided": _(
                "{actor} decided the objection to fact #{fact} of {name}: {status} ({reasons})"
            ),
            "credit.ban.decided": _("{actor} banned {name} from {starts} to {ends} ({basis}, {number})"),
            "credit.list.imported": _("{actor} imported the list {kind} as of {as_of} ({rows} rows)"),
            "credit.check.run": _("{actor} ran the three-list check of {name} at {stage}: {result}"),
            "credit.check.override_proposed": _(
                "{actor} proposed to override the three-list check of {name}: {reason}"
            ),
            "credit.check.overridden": _("{actor} confirmed the override of the three-list check of {name}"),
            "credit.report.issued": _("{actor} issued the {year} credit report to {recipient} ({rows} providers)"),
            "credit.report.received": _("{actor} received the {year} credit report for {recipient}"),
        }
        from govbuy.credit.models import FactKind, ListKind, Objection, ThreeListCheck

        labels = {
            "kind": {**dict(FactKind.choices), **dict(ListKind.choices)},
            "status": dict(Objection.Status.choices),
            "stage": dict(ThreeListCheck.Stage.choices),
            "result": {"clear": _("not listed"), "listed": _("listed")},
        }
        for code, sentence in sentences.items():
            register_labelled(code, sentence, **labels)
        facts.register(records.record_reported_fact)

        from govbuy.core.home import register_home_section
        from govbuy.core.navigation import NavEntry
        from govbuy.core.navigation import register as register_nav
        from govbuy.credit import home

        register_nav(
            NavEntry(label=_("Serious violations"), url_name="credit_public:bans", visible=home.always, order=60)
        )
        register_nav(NavEntry(label=_("My credit"), url_name="credit:mine", visible=home.is_provider, order=61))
        register_nav(
            NavEntry(
                label=_("Provider credit"), url_name="credit:workspace", visible=home.is_credit_authority, order=62
            )
        )
        register_home_section(home.provider_section, order=70)
        register_home_section(home.authority_section, order=71)
        register_home_section(home.purchaser_section, order=72)
        register_home_section(home.reports_section, order=73)
        register_nav(
            NavEntry(label=_("Credit reports"), url_name="credit:reports", visible=home.sees_reports, order=63)
        )

        from govbuy.providers.report import register_report_column

        register_report_column(_("Credit score"), home.score_column)
        register_report_column(_("Bans in force"), home.bans_column)
