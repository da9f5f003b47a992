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
