from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "govbuy.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from govbuy.core.navigation import register_core_entries

        register_core_entries()

        from govbuy.core.calendar.views import register_calendar_ui

        register_calendar_ui()
