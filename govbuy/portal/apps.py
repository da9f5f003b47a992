from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "govbuy.portal"
    label = "portal"
    verbose_name = _("Public portal")

    def ready(self) -> None:
        from govbuy.audit.describe import register
        from govbuy.core.home import register_home_section
        from govbuy.core.navigation import NavEntry
        from govbuy.core.navigation import register as register_nav
        from govbuy.portal import home

        register("portal.feedback.submitted", _("A member of the public commented on project {reference}"))
        register("portal.feedback.published", _("{actor} published a public comment on project {reference}"))
        register("portal.feedback.rejected", _("{actor} rejected a public comment on project {reference}: {reason}"))
        register("portal.feedback.replied", _("{actor} replied to a public comment on project {reference}"))
        register_home_section(home.feedback_section, order=60)
        register_nav(
            NavEntry(label=_("Public feedback"), url_name="portal:feedback-queue", visible=home.sees_feedback, order=60)
        )
