from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The OCDS release tags (codelist releaseTag) in the reader's language.
RELEASE_TAG_LABELS = {
    "planning": _("plan"),
    "planningUpdate": _("plan update"),
    "tender": _("tender notice"),
    "tenderAmendment": _("tender amendment"),
    "tenderUpdate": _("tender update"),
    "tenderCancellation": _("tender cancellation"),
    "award": _("award"),
    "awardUpdate": _("award update"),
    "awardCancellation": _("award cancellation"),
    "contract": _("contract"),
    "contractUpdate": _("contract update"),
    "contractAmendment": _("contract amendment"),
    "implementation": _("implementation"),
    "implementationUpdate": _("implementation update"),
    "contractTermination": _("contract termination"),
    "compiled": _("compiled release"),
}


class DisclosureConfig(AppConfig):
    name = "govbuy.disclosure"
    label = "disclosure"
    verbose_name = _("Disclosure")

    def ready(self) -> None:
        from django.core.checks import register as register_check

        from govbuy.audit.describe import register_labelled
        from govbuy.core import publication
        from govbuy.disclosure.checks import check_open_data_settings
        from govbuy.disclosure.services import handle_announcement
        from govbuy.disclosure.sources import register_sources

        # The stage is stored as the OCDS release tag (a code of the standard) and read out as
        # what it announces.
        register_labelled(
            "disclosure.release.published",
            _("{actor} published OCDS release {release_id} ({stage}) of {object}"),
            stage=RELEASE_TAG_LABELS,
        )
        register_check(check_open_data_settings, "security")
        register_sources()
        # Importing the builder modules registers the release builders of planning and procurement.
        from govbuy.disclosure.builders import contracts, performance, planning, procurement  # noqa: F401

        publication.register(handle_announcement)
