from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "govbuy.oversight"
    label = "oversight"
    verbose_name = _("Oversight")

    def ready(self) -> None:
        from govbuy.audit.describe import register, register_labelled
        from govbuy.core import publication
        from govbuy.core.home import register_home_section
        from govbuy.core.navigation import NavEntry
        from govbuy.core.navigation import register as register_nav
        from govbuy.core.public_panels import register_project_panel
        from govbuy.core.schedule import register_periodic
        from govbuy.core.staff_panels import register_staff_panel
        from govbuy.oversight import events, home, panels, tasks
        from govbuy.oversight.models import CaseReason, CaseStatus
        from govbuy.oversight.statistics import home as statistics_home
        from govbuy.oversight.statistics import services as statistics_services

        register_labelled(
            "oversight.case.opened",
            _("{actor} ({organisation}) opened monitoring case {reference} on {tender} ({reason})"),
            reason=dict(CaseReason.choices),
        )
        register("oversight.question.asked", _("{actor} asked the purchaser in case {reference}, due {due_on}"))
        register("oversight.question.answered", _("{actor} answered a question in monitoring case {reference}"))
        register_labelled(
            "oversight.case.concluded",
            _("{actor} ({organisation}) concluded monitoring case {reference}: {outcome}"),
            outcome=dict(CaseStatus.choices),
        )
        register("oversight.case.remedy_reported", _("{actor} reported the remedy in monitoring case {reference}"))
        register("oversight.case.closed", _("{actor} closed monitoring case {reference}"))
        register("oversight.flag.raised", _("Risk flag “{name}” raised on tender {reference}"))
        register("oversight.flag.dismissed", _("{actor} dismissed risk flag {rule} on tender {reference}: {reason}"))
        register_nav(NavEntry(label=_("Monitoring"), url_name="oversight:cases", visible=home.sees_cases, order=70))
        register_nav(NavEntry(label=_("Risk flags"), url_name="oversight:flags", visible=home.monitors, order=71))
        register_nav(NavEntry(label=_("Statistics"), url_name="oversight:statistics", visible=home.monitors, order=72))
        register("oversight.statistics.requested", _("{actor} asked for a refresh of the statistics"))
        register("oversight.statistics.refreshed", _("The statistics were refreshed ({cells} figures)"))
        register_home_section(home.body_section, order=70)
        register_home_section(home.purchaser_section, order=71)
        register_home_section(home.high_risk_section, order=72)
        register_home_section(home.late_section, order=73)
        register_home_section(statistics_home.section, order=79)
        register_project_panel(home.conclusions_panel, order=50)
        register_staff_panel(panels.process_panel, order=50)
        publication.register(events.recompute_after_stage, order=200)
        register_periodic("oversight.compute_all_flags", tasks.compute_all_flags, every=events.SWEEP_EVERY)
        register_periodic("oversight.remind_answers", tasks.remind_answers, every=events.SWEEP_EVERY)
        register_periodic(
            "oversight.refresh_statistics", statistics_services.refresh_statistics_nightly, every=events.SWEEP_EVERY
        )
