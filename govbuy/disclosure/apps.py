from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "govbuy.disclosure"
    label = "disclosure"
    verbose_name = _("Disclosure")

    def ready(self) -> None:
        from govbuy.audit.describe import register
        from govbuy.core import publication
        from govbuy.core.home import register_home_section
        from govbuy.core.navigation import NavEntry
        from govbuy.core.navigation import register as register_nav
        from govbuy.disclosure import portal_home
        from govbuy.disclosure.services import handle_announcement
        from govbuy.disclosure.sources import register_sources

        register(
            "disclosure.release.published",
            _("{actor} published OCDS release {release_id} ({stage}) of {object}"),
        )
        register("disclosure.feedback.submitted", _("A member of the public commented on project {reference}"))
        register("disclosure.feedback.published", _("{actor} published a public comment on project {reference}"))
        register(
            "disclosure.feedback.rejected", _("{actor} rejected a public comment on project {reference}: {reason}")
        )
        register("disclosure.feedback.replied", _("{actor} replied to a public comment on project {reference}"))
        register_home_section(portal_home.feedback_section, order=60)
        register_nav(
            NavEntry(
                label=_("Public feedback"),
                url_name="portal:feedback-queue",
                visible=portal_home.sees_feedback,
                order=60,
            )
        )
        register_sources()
        # Importing the builder modules registers the release builders of planning and procurement.
        from govbuy.disclosure import builders_planning, builders_procurement  # noqa: F401

        publication.register(handle_announcement)
