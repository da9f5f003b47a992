from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    name = "govbuy.contracts"
    label = "contracts"
    verbose_name = _("Contracts")

    def ready(self) -> None:
        from govbuy.contracts import audit_sentences

        audit_sentences.register_all()
        from govbuy.contracts import home

        home.register_all()
        from govbuy.contracts.selectors import award_signed_by_provider
        from govbuy.core import signing_gate

        # A winner who signed did not refuse to sign (Reg. Art. 49): procurement asks through this gate.
        signing_gate.register(award_signed_by_provider)
