from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "govbuy.disclosure"
    label = "disclosure"
    verbose_name = _("Disclosure")

    def ready(self) -> None:
        from django.core.checks import register as register_check

        from govbuy.audit.describe import register
        from govbuy.core import publication
        from govbuy.disclosure.checks import check_open_data_settings
        from govbuy.disclosure.services import handle_announcement
        from govbuy.disclosure.sources import register_sources

        register(
            "disclosure.release.published",
            _("{actor} published OCDS release {release_id} ({stage}) of {object}"),
        )
        register_check(check_open_data_settings, "security")
        register_sources()
        # Importing the builder modules registers the release builders of planning and procurement.
        from govbuy.disclosure.builders import contracts, performance, planning, procurement  # noqa: F401

        publication.register(handle_announcement)
