from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "govbuy.providers"
    label = "providers"
    verbose_name = _("Provider registry")

    def ready(self) -> None:
        from govbuy.audit.describe import register
        from govbuy.core.home import register_home_section
        from govbuy.core.navigation import NavEntry
        from govbuy.core.navigation import register as register_nav
        from govbuy.organizations.identity import register_identity_listener
        from govbuy.providers import home
        from govbuy.providers.services.standing import organisation_identity_changed

        sentences = {
            "providers.provider.registered": _("{actor} registered provider {name} ({uscc})"),
            "providers.provider.updated": _("{actor} changed the registration facts of {name}: {fields}"),
            "providers.provider.verified": _("{actor} verified provider {name}"),
            "providers.provider.suspended": _("{actor} suspended provider {name}: {reason}"),
            "providers.provider.reinstated": _("{actor} reinstated provider {name}"),
            "providers.restriction.ban_imposed": _("{actor} banned provider {name} from {starts} to {ends} ({basis})"),
            "providers.restriction.suspension_imposed": _(
                "{actor} suspended provider {name} from {starts} to {ends}: {reason}"
            ),
            "providers.restriction.ban_lifted": _("{actor} lifted the ban of provider {name}: {reason}"),
            "providers.restriction.suspension_lifted": _("{actor} lifted the suspension of provider {name}: {reason}"),
            "providers.provider.reverification_required": _(
                "{actor} changed identity fields of provider {name} ({fields}): it is to be verified again"
            ),
            "providers.section.statement_changed": _("{actor} changed the statement of section {condition} of {name}"),
            "providers.section.submitted": _("{actor} submitted section {condition} of {name} for verification"),
            "providers.section.accepted": _("{actor} accepted section {condition} of {name}"),
            "providers.section.rejected": _("{actor} rejected section {condition} of {name}: {reason}"),
            "providers.document.uploaded": _("{actor} uploaded “{title}” to section {condition} of {name}"),
            "providers.document.withdrawn": _("{actor} withdrew “{title}” from section {condition} of {name}"),
            "providers.document.expiring": _("{name} was told that “{title}” expires on {valid_until}"),
            "providers.document.expired": _("{name} was told that “{title}” expired on {valid_until}"),
            "providers.staff.added": _("{actor} added {person} to the staff list of {name}"),
            "providers.staff.removed": _("{actor} removed {person} from the staff list of {name}"),
            "providers.declaration.signed": _("{actor} signed the declaration of no major violation for {name}"),
            "providers.related_party.linked": _("{actor} linked providers #{first} and #{second} as related ({basis})"),
            "providers.related_party.ended": _(
                "{actor} ended the related-party link of #{first} and #{second}: {reason}"
            ),
            "providers.condition.created": _("{actor} set a condition for project {project}: {text}"),
            "providers.condition.flagged": _(
                "{actor} set a condition for project {project} that matches discriminatory patterns ({flags})"
            ),
            "providers.condition.approved": _("{actor} approved the condition for project {project}: {text}"),
            "providers.condition.rejected": _(
                "{actor} rejected the condition for project {project} as unrelated to the service: {reason}"
            ),
            "providers.condition.withdrawn": _("{actor} withdrew the condition for project {project}"),
            "providers.pattern.created": _("{actor} added the discriminatory pattern {code}"),
            "providers.pattern.updated": _("{actor} changed the discriminatory pattern {code}: {fields}"),
            "providers.report.exported": _("{actor} exported the provider verification report ({rows} rows)"),
            "providers.service_area.added": _("{actor} added service area {item} to {name}"),
            "providers.service_area.removed": _("{actor} removed service area {item} from {name}"),
        }
        from govbuy.audit.describe import register_labelled
        from govbuy.providers.models import Condition, RelatedParty

        # Sections and bases are stored as codes; the sentence names them in the reader's language.
        labels = {"condition": dict(Condition.choices), "basis": dict(RelatedParty.Basis.choices)}
        for code, sentence in sentences.items():
            used = {key: choices for key, choices in labels.items() if "{" + key + "}" in str(sentence)}
            if used:
                register_labelled(code, sentence, **used)
            else:
                register(code, sentence)
        register_identity_listener(organisation_identity_changed)

        register_nav(
            NavEntry(label=_("Provider directory"), url_name="providers:directory", visible=home.always, order=25)
        )
        register_nav(NavEntry(label=_("My dossier"), url_name="providers:mine", visible=home.is_provider, order=26))
        register_nav(NavEntry(label=_("Providers"), url_name="providers:list", visible=home.sees_registry, order=27))
        register_nav(
            NavEntry(
                label=_("Project conditions"), url_name="providers:conditions", visible=home.sees_conditions, order=28
            )
        )
        register_home_section(home.verification_section, order=45)
        register_home_section(home.dossier_section, order=46)
        register_home_section(home.conditions_section, order=47)
