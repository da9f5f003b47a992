from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "govbuy.organizations"
    label = "organizations"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from govbuy.audit.describe import register, register_field_names, register_labelled
        from govbuy.core.home import register_home_section
        from govbuy.core.navigation import NavEntry
        from govbuy.core.navigation import register as register_nav
        from govbuy.organizations.home import sees_organisation_list, uscc_review_section
        from govbuy.organizations.models import Membership

        register("organizations.region.created", _("{actor} added region {name} ({code})"))
        register("organizations.organisation.registered", _("{actor} registered organisation {name}"))
        register_field_names(
            "organizations.organisation.updated",
            _("{actor} changed organisation {name}: {fields}"),
            model="organizations.Organisation",
        )
        register_field_names(
            "organizations.organisation.contacts_updated",
            _("{actor} changed the address and contacts of {name}: {fields}"),
            model="organizations.Organisation",
        )
        register("organizations.organisation.deactivated", _("{actor} deactivated organisation {name}: {reason}"))
        register("organizations.organisation.reactivated", _("{actor} reactivated organisation {name}"))
        register(
            "organizations.organisation.uscc_reviewed",
            _("{actor} reviewed the doubts about the unified social credit code {uscc} of {name}"),
        )
        # Roles are stored as codes ("approver") and read out as their labels.
        roles = dict(Membership.Role.choices)
        register_labelled(
            "organizations.membership.added", _("{actor} added {username} to {name} as {role}"), role=roles
        )
        register_labelled(
            "organizations.membership.role_changed",
            _("{actor} changed the role of {username} in {name} from {before} to {role}"),
            role=roles,
            before=roles,
        )
        register_labelled(
            "organizations.membership.removed", _("{actor} removed {username} ({role}) from {name}"), role=roles
        )

        register_nav(
            NavEntry(label=_("Organisations"), url_name="organizations:list", visible=sees_organisation_list, order=20)
        )
        register_home_section(uscc_review_section, order=40)
