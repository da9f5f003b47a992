from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "govbuy.planning"
    label = "planning"
    verbose_name = _("Budgets and annual plans")

    def ready(self) -> None:
        from govbuy.audit.describe import register
        from govbuy.core.home import register_home_section
        from govbuy.core.navigation import NavEntry
        from govbuy.core.navigation import register as register_nav
        from govbuy.planning import home

        register("planning.budget.created", _("{actor} created the {year} budget of {purchaser}"))
        register(
            "planning.budget.imported",
            _("{actor} imported budget lines from {file}: {created} added, {updated} changed"),
        )
        register("planning.line.added", _("{actor} added budget line {code} {name} of {amount} yuan ({year})"))
        register("planning.line.changed", _("{actor} changed budget line {code}: {fields}"))
        register("planning.threshold.set", _("{actor} set the public-tender threshold of {region} to {amount} yuan"))
        register(
            "planning.project.proposed",
            _("{actor} proposed project {reference} “{title}”, estimated at {estimate} yuan on line {line}"),
        )
        register("planning.project.changed", _("{actor} changed project {reference}: {fields}"))
        register("planning.project.submitted", _("{actor} submitted project {reference} “{title}” for review"))
        register("planning.project.withdrawn", _("{actor} withdrew project {reference}: {reason}"))
        register("planning.project.review_started", _("{actor} started the review of project {reference}"))
        register("planning.project.approved", _("{actor} approved project {reference} “{title}”: {comment}"))
        register("planning.project.returned", _("{actor} returned project {reference} with comments: {comment}"))
        register(
            "planning.project.staffing_confirmed",
            _("{actor} confirmed that project {reference} adds no posts or bodies: {comment}"),
        )
        register(
            "planning.project.staffing_returned",
            _("{actor} (staffing office) returned project {reference} with comments: {comment}"),
        )
        register("planning.project.cancelled", _("{actor} cancelled project {reference}: {reason}"))
        register(
            "planning.project.planned", _("{actor} entered project {reference} in version {number} of the annual plan")
        )
        register(
            "planning.transfer.recorded",
            _("{actor} moved {amount} yuan from line {source} to line {target} for project {reference} ({service})"),
        )
        register(
            "planning.transfer.reversed", _("{actor} moved {amount} yuan back to line {source} (project {reference})")
        )
        register(
            "planning.plan.published",
            _(
                "{actor} published version {number} of the {year} annual plan "
                "({added} added, {removed} removed, {changed} changed)"
            ),
        )

        register_nav(NavEntry(label=_("Projects"), url_name="planning:projects", visible=home.sees_projects, order=40))
        register_nav(NavEntry(label=_("Budgets"), url_name="planning:budgets", visible=home.sees_budgets, order=41))
        register_nav(NavEntry(label=_("Annual plans"), url_name="plans:index", visible=lambda request: True, order=42))
        register_home_section(home.finance_section, order=40)
        register_home_section(home.staffing_section, order=41)
        register_home_section(home.purchaser_section, order=42)
